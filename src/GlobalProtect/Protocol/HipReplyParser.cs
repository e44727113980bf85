using System.Net;
using System.Net.Sockets;

namespace GlobalProtect.Protocol;

/// <summary>Reads the gateway's answers in the HIP exchange: its getconfig, the report check, the submission.</summary>
internal static class HipReplyParser
{
    /// <summary>The tunnel addresses the gateway's getconfig assigns: IPv4, which the exchange needs, and IPv6 if any.</summary>
    public static (string Ipv4, string? Ipv6) ClientAddresses(int statusCode, string body, string server)
    {
        var root = Response(statusCode, body, "gateway getconfig", server);
        if (Address(root, "ip-address", AddressFamily.InterNetwork) is not { } ipv4)
        {
            throw new GlobalProtectException($"gateway getconfig: {server} assigned no IPv4 address");
        }

        return (ipv4, Address(root, "ip-address-v6", AddressFamily.InterNetworkV6));
    }

    private static string? Address(System.Xml.Linq.XElement root, string element, AddressFamily family) =>
        GpXml.Text(root, element) is { } text && IPAddress.TryParse(text, out var address) && address.AddressFamily == family
            ? address.ToString()
            : null;

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
