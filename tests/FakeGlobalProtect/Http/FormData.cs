using System.Text;

namespace FakeGlobalProtect.Http;

/// <summary>An application/x-www-form-urlencoded body or query string, in order. Values may be secrets.</summary>
public sealed class FormData
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private FormData(List<KeyValuePair<string, string>> fields) => _fields = fields;

    public static FormData Empty { get; } = new([]);

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public static FormData Parse(ReadOnlySpan<char> text)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? [] : pair[(eq + 1)..];
            fields.Add(new(Decode(key), Decode(value)));
        }
        return new FormData(fields);
    }

    public static FormData Parse(ReadOnlySpan<byte> body) => Parse(Encoding.UTF8.GetString(body));

    /// <summary>The first value of <paramref name="name"/>, or null when absent.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var (key, value) in _fields)
            {
                if (key == name)
                {
                    return value;
                }
            }
            return null;
        }
    }

    /// <summary>The first non-empty value of <paramref name="name"/>, or null.</summary>
    public string? NonEmpty(string name) => this[name] is { Length: > 0 } value ? value : null;

    // Keys only: values carry passwords and cookies.
    public override string ToString() => string.Join("&", _fields.Select(f => f.Key));

    private static string Decode(ReadOnlySpan<char> text) =>
        Uri.UnescapeDataString(text.ToString().Replace('+', ' '));
}
