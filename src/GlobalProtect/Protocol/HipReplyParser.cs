using System.Net;

namespace GlobalProtect.Protocol;

/// <summary>Reads the gateway's answers in the HIP exchange: its getconfig, the report check, the submission.</summary>
internal static class HipReplyParser
{
    /// <summary>The tunnel IPv4 address the gateway's getconfig assigns.</summary>
    public static string ClientIp(int statusCode, string body, string server)
    {
        var root = Response(statusCode, body, "gateway getconfig", server);
        var text = GpXml.Text(root, "ip-address");
        if (text is null || !IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new GlobalProtectException($"gateway getconfig: {server} assigned no IPv4 address");
        }

        return address.ToString();
    }

    /// <summary>The tunnel IPv6 address the gateway's getconfig assigns, or null when it assigns none.</summary>
    public static string? ClientIpv6(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = GpXml.Text(GpXml.ParseRoot(body, "gateway getconfig", "<response>"), "ip-address-v6");
        return text is not null && IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.ToString()
            : null;
    }

    /// <summary>Whether the gateway wants a report (<c>&lt;hip-report-needed&gt;yes</c>).</summary>
    public static bool ReportNeeded(int statusCode, string body, string server)
    {
        var root = Response(statusCode, body, "HIP report check", server);
        return GpXml.Text(root, "hip-report-needed") switch
        {
            "yes" => true,
            "no" => false,
            _ => throw new GlobalProtectException($"HIP report check: {server} did not say whether a report is needed"),
        };
    }

    /// <summary>Checks that the gateway accepted a report.</summary>
    public static void ReportAccepted(int statusCode, string body, string server) =>
        Response(statusCode, body, "HIP report", server);

    private static System.Xml.Linq.XElement Response(int statusCode, string body, string source, string server)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (statusCode != 200)
        {
            throw new PortalException($"{source}: {server} answered HTTP {statusCode}");
        }

        var root = GpXml.ParseRoot(body, source, "<response>");
        if (string.Equals(GpXml.Attribute(root, "status"), "error", StringComparison.OrdinalIgnoreCase))
        {
            var message = GpXml.DisplayText(root, "error") ?? GpXml.DisplayText(root, "msg") ?? "an error without a message";
            throw new PortalException($"{source}: {server} refused: {message}");
        }

        return root;
    }
}
