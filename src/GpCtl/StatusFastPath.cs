using System.Net.Sockets;
using System.Text.Json;
using GpControl;

namespace GpCtl;

/// <summary>
/// `gpctl status [--json] [--socket PATH]`, the command scripts and status bars run most, without building the
/// command tree (and the Ctrl-C handler it installs) and without System.Text.Json's serializer metadata, which
/// were most of what it cost above a plain socket client (bench/RESULTS.md): one blocking call, the reply read
/// with JsonDocument, `--json` printing the daemon's status object as it came. Anything else (other arguments,
/// an error reply, a daemon it cannot reach) returns null and takes the full path, which reports it.
/// </summary>
internal static class StatusFastPath
{
    /// <summary>True for exactly `status`, optionally with `--json` and `--socket PATH` / `--socket=PATH`, in any order.</summary>
    public static bool TryParse(string[] args, out bool json, out string? socket)
    {
        json = false;
        socket = null;
        bool status = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "status" when !status:
                    status = true;
                    break;
                case "--json" when !json:
                    json = true;
                    break;
                case "--socket" when socket is null && i + 1 < args.Length && args[i + 1].Length > 0 && !args[i + 1].StartsWith('-'):
                    socket = args[++i];
                    break;
                case var text when socket is null && text.StartsWith("--socket=", StringComparison.Ordinal) && text.Length > "--socket=".Length:
                    socket = text["--socket=".Length..];
                    break;
                default:
                    return false;
            }
        }
        return status;
    }

    /// <returns>The exit code, or null to take the full path.</returns>
    public static int? TryRun(string socketPath, bool json)
    {
        byte[]? reply = Call(socketPath);
        if (reply is null)
        {
            return null;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(reply);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error", out _)
                || !root.TryGetProperty("parameters", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("status", out JsonElement element) || element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            VpnStatus status = Read(element);
            Console.Out.Write(json ? element.GetRawText() + "\n" : StatusFormatter.Format(status, DateTimeOffset.UtcNow));
            return status.StateValue == VpnState.Connected ? ExitCode.Ok : ExitCode.Failed;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The reply's bytes (without the NUL), or null when anything went wrong.</summary>
    private static byte[]? Call(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(VpnClient.GetStatusMessage, SocketFlags.None);
            byte[] buffer = new byte[16 * 1024];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= ControlDefaults.MaxMessageBytes)
                    {
                        return null;
                    }
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                int n = socket.Receive(buffer.AsSpan(length), SocketFlags.None);
                if (n == 0)
                {
                    return null;
                }
                int end = Array.IndexOf(buffer, (byte)0, length, n);
                length += n;
                if (end >= 0)
                {
                    return buffer[..end];
                }
            }
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static VpnStatus Read(JsonElement e) => new()
    {
        State = String(e, "state") ?? throw new FormatException("status without a state"),
        Portal = String(e, "portal"),
        Gateway = e.TryGetProperty("gateway", out JsonElement g) && g.ValueKind == JsonValueKind.Object
            ? new Gateway(String(g, "name") ?? "", String(g, "address") ?? "", Int(g, "priority"))
            : null,
        User = String(e, "user"),
        Interface = String(e, "interface"),
        Ipv4 = String(e, "ipv4"),
        Ipv6 = String(e, "ipv6"),
        Dns = Strings(e, "dns"),
        DnsDomains = Strings(e, "dns_domains"),
        Routes = Strings(e, "routes"),
        ExcludedRoutes = Strings(e, "excluded_routes"),
        ConnectedSince = String(e, "connected_since"),
        HipReport = String(e, "hip_report"),
        BytesIn = Long(e, "bytes_in"),
        BytesOut = Long(e, "bytes_out"),
        OpenconnectPid = Int(e, "openconnect_pid"),
        DaemonPid = Int(e, "daemon_pid") ?? 0,
        Version = String(e, "version") ?? "",
        Message = String(e, "message"),
        Prompt = e.TryGetProperty("prompt", out JsonElement p) && p.ValueKind == JsonValueKind.Object
            ? new Prompt(String(p, "id") ?? "", String(p, "message") ?? "", p.TryGetProperty("secret", out JsonElement s) && s.ValueKind == JsonValueKind.True)
            {
                From = String(p, "from"),
                Kind = String(p, "kind"),
                Url = String(p, "url"),
                Form = String(p, "form"),
                Expires = String(p, "expires"),
            }
            : null,
    };

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string[]? Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : null;
}
