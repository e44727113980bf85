using System.Globalization;
using System.Text;

namespace FakeGlobalProtect.Http;

/// <summary>Reads whole requests (head and body) from a connection.</summary>
public static class HttpRequestReader
{
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly byte[] Continue = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    public static async ValueTask<HttpRequest?> ReadAsync(BufferedStreamReader reader, CancellationToken cancellationToken)
    {
        var text = await reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        var head = HttpRequestHead.Parse(text);

        if (head.Headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await reader.Stream.WriteAsync(Continue, cancellationToken).ConfigureAwait(false);
            await reader.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        byte[] body;
        if (head.Headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        else if (head.Headers.TryGetValue("Content-Length", out var lengthText))
        {
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBodyBytes)
            {
                throw new InvalidDataException("bad Content-Length");
            }

            body = new byte[length];
            if (length > 0 && !await reader.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("connection closed before the body");
            }
        }
        else
        {
            body = []; // openconnect's prelogin POST has neither Content-Length nor a body.
        }

        return new HttpRequest(head.Method, head.Target, head.Version, head.Headers, body);
    }

    private static async ValueTask<byte[]> ReadChunkedAsync(BufferedStreamReader reader, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var sizeText = line.Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
                || size < 0 || body.Length + size > MaxBodyBytes)
            {
                throw new InvalidDataException("bad chunk size");
            }

            if (size == 0)
            {
                // Trailers end with an empty line.
                while ((await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }
                return body.ToArray();
            }
            var chunk = new byte[size];
            if (!await reader.ReadExactlyAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("connection closed inside a chunk");
            }

            body.Write(chunk);
            if ((await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new InvalidDataException("chunk not followed by CRLF");
            }
        }
    }
}
