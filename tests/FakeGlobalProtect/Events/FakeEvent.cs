using System.Text;

namespace FakeGlobalProtect.Events;

/// <summary>
/// One line of the fake's event stream: <c>event NAME key=value ...</c>. Values that contain spaces,
/// quotes or backslashes, or are empty, are written in double quotes with \" and \\ escapes.
/// </summary>
public sealed record FakeEvent(string Name, IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    public const string Prefix = "event ";

    public FakeEvent(string name, params (string Key, string Value)[] properties)
        : this(name, properties.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToArray())
    {
    }

    /// <summary>The first value of <paramref name="key"/>, or null.</summary>
    public string? this[string key] => Properties.FirstOrDefault(p => p.Key == key).Value;

    public string Format()
    {
        var line = new StringBuilder(Prefix).Append(Name);
        foreach (var (key, value) in Properties)
        {
            line.Append(' ').Append(key).Append('=').Append(Quote(value));
        }

        return line.ToString();
    }

    public override string ToString() => Format();

    /// <summary>Parses a line written by <see cref="Format"/>; false for any other line.</summary>
    public static bool TryParse(string line, out FakeEvent? parsed)
    {
        parsed = null;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line.AsSpan(Prefix.Length);
        var space = rest.IndexOf(' ');
        var name = (space < 0 ? rest : rest[..space]).ToString();
        if (name.Length == 0)
        {
            return false;
        }

        var properties = new List<KeyValuePair<string, string>>();
        var i = space < 0 ? rest.Length : space;
        while (i < rest.Length)
        {
            while (i < rest.Length && rest[i] == ' ')
            {
                i++;
            }

            if (i >= rest.Length)
            {
                break;
            }

            var eq = rest[i..].IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }

            var key = rest.Slice(i, eq).ToString();
            i += eq + 1;
            var value = new StringBuilder();
            if (i < rest.Length && rest[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= rest.Length)
                    {
                        return false;
                    }

                    var c = rest[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i >= rest.Length)
                        {
                            return false;
                        }

                        c = rest[i++];
                    }
                    value.Append(c);
                }
            }
            else
            {
                while (i < rest.Length && rest[i] != ' ')
                {
                    value.Append(rest[i++]);
                }
            }
            properties.Add(new(key, value.ToString()));
        }
        parsed = new FakeEvent(name, properties);
        return true;
    }

    private static string Quote(string value)
    {
        if (value.Length > 0 && !value.Any(c => c is ' ' or '"' or '\\' || char.IsWhiteSpace(c)))
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }
            // Keep one event on one line whatever a value holds.
            quoted.Append(c is '\r' or '\n' ? ' ' : c);
        }
        return quoted.Append('"').ToString();
    }
}
