using System.Globalization;
using System.Text;

namespace FakeGlobalProtect.Http;

/// <summary>A response the fake sends; always with Content-Length so keep-alive clients know where it ends.</summary>
public sealed record HttpResponse(int Status, string ContentType, byte[] Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    public static HttpResponse Xml(string xml) => new(200, "application/xml; charset=UTF-8", Encoding.UTF8.GetBytes(xml));

    public static HttpResponse Text(int status, string text) => new(status, "text/plain; charset=UTF-8", Encoding.UTF8.GetBytes(text));

    public static HttpResponse Html(string html) => new(200, "text/html; charset=UTF-8", Encoding.UTF8.GetBytes(html));

    /// <summary>A 302 to <paramref name="location"/> (an absolute URL).</summary>
    public static HttpResponse Redirect(string location) =>
        Text(302, "Found") with { ExtraHeaders = [new("Location", location)] };

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        512 => "Custom error",
        _ => "Status",
    };

    public byte[] Serialize(bool keepAlive)
    {
        var headBytes = SerializeHead(Body.Length, keepAlive);
        var message = new byte[headBytes.Length + Body.Length];
        headBytes.CopyTo(message, 0);
        Body.CopyTo(message, headBytes.Length);
        return message;
    }

    /// <summary>The status line and headers, announcing <paramref name="contentLength"/> body bytes (the body may be streamed).</summary>
    public byte[] SerializeHead(long contentLength, bool keepAlive)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {ReasonPhrase(Status)}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {ContentType}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n");
        head.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        foreach (var (name, value) in ExtraHeaders)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Status = {Status}, ContentType = {ContentType}, BodyLength = {Body.Length}");
        return true;
    }
}
