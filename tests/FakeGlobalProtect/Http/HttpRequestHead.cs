namespace FakeGlobalProtect.Http;

/// <summary>The request line and headers of a request, before its body is read.</summary>
public sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>
    /// Parses a head (request line and header lines, no blank line). Lenient on line endings;
    /// strict on the request line. Repeated headers are joined with ", ".
    /// </summary>
    public static HttpRequestHead Parse(string head)
    {
        var lines = head.Split('\n');
        var requestLine = lines[0].TrimEnd('\r').Split(' ');
        if (requestLine.Length != 3 || requestLine[0].Length == 0 || requestLine[1].Length == 0
            || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException("malformed request line");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in lines.AsSpan(1))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException("malformed header line");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var previous) ? previous + ", " + value : value;
        }
        return new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], headers);
    }
}
