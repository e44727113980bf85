using System.Globalization;

namespace GpTunnel.Wrapper;

/// <summary>
/// Assembles wrapper reports from output lines. Feed it every stdout line: it consumes the tagged ones
/// (returns true) and hands back a report when its end line arrives. Lines without this run's tag are
/// left alone, so neither a server-supplied string nor an older wrapper can pass as a report.
/// </summary>
internal sealed class WrapperReportReader(string nonce)
{
    private readonly string _tag = WrapperScript.Tag(nonce) + " ";
    private string? _reason;
    private Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private List<string> _unsafe = [];

    public bool TryAccept(string line, out WrapperReport? report)
    {
        report = null;
        if (!line.StartsWith(_tag, StringComparison.Ordinal))
        {
            return false;
        }

        var body = line.AsSpan(_tag.Length).TrimEnd("\r\n");
        var space = body.IndexOf(' ');
        var verb = space < 0 ? body : body[..space];
        var rest = space < 0 ? ReadOnlySpan<char>.Empty : body[(space + 1)..];

        switch (verb)
        {
            case "begin":
                _reason = rest.ToString();
                _variables = new Dictionary<string, string>(StringComparer.Ordinal);
                _unsafe = [];
                break;
            case "set" when _reason is not null:
                var equals = rest.IndexOf('=');
                if (equals > 0)
                {
                    _variables[rest[..equals].ToString()] = rest[(equals + 1)..].ToString();
                }

                break;
            case "unsafe" when _reason is not null:
                _unsafe.Add(rest.ToString());
                break;
            case "end" when _reason is not null:
                var parts = rest.ToString().Split(' ');
                if (parts.Length == 2 && parts[0] == _reason
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    report = new WrapperReport(_reason, status, _variables, _unsafe);
                }
                _reason = null;
                break;
        }
        return true;
    }
}
