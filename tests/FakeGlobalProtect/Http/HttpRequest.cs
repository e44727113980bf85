using System.Text;

namespace FakeGlobalProtect.Http;

/// <summary>One parsed HTTP/1.x request. Its target and body may carry secrets, so ToString omits them.</summary>
public sealed record HttpRequest(
    string Method,
    string Target,
    string Version,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    /// <summary>The target's path, with repeated leading slashes folded into one.</summary>
    public string Path
    {
        get
        {
            var question = Target.IndexOf('?');
            var path = question < 0 ? Target : Target[..question];
            return "/" + path.TrimStart('/');
        }
    }

    public FormData Query
    {
        get
        {
            var question = Target.IndexOf('?');
            return question < 0 ? FormData.Empty : FormData.Parse(Target.AsSpan(question + 1));
        }
    }

    public FormData Form => FormData.Parse(Body);

    public string? Host => Headers.TryGetValue("Host", out var host) ? host : null;

    /// <summary>HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 only when asked.</summary>
    public bool KeepAlive
    {
        get
        {
            var connection = Headers.TryGetValue("Connection", out var value) ? value : "";
            if (Version == "HTTP/1.0")
            {
                return connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
            }

            return !connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Method = {Method}, Path = {Path}, Version = {Version}, BodyLength = {Body.Length}");
        return true;
    }
}
