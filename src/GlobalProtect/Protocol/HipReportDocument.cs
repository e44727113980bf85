using System.Globalization;
using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>
/// The host-information report in the form openconnect's hipreport.sh writes for a Linux client: who and what this
/// host is, its tunnel address, and empty product lists. Every value is escaped by the XML writer, and long ones
/// are cut, so that nothing a server or the host says can change the document's shape or size much.
/// </summary>
internal static class HipReportDocument
{
    /// <summary>The largest report sent: a real one is a few KiB, with a product list a few dozen.</summary>
    public const int MaxLength = 1024 * 1024;

    private const int MaxValueLength = 256;
    private const string InterfaceName = "tun0";

    public static string Build(HipReportFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var time = facts.GeneratedAt.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        var report = new XElement("hip-report", new XAttribute("name", "hip-report"),
            new XElement("md5-sum", facts.Md5),
            new XElement("user-name", Bounded(facts.User)),
            new XElement("domain", Bounded(facts.Domain)),
            new XElement("host-name", Bounded(facts.Computer)),
            new XElement("host-id", Bounded(facts.HostId)),
            new XElement("ip-address", facts.ClientIp),
            new XElement("ipv6-address", facts.ClientIpv6 ?? string.Empty),
            new XElement("generate-time", time),
            new XElement("hip-report-version", "4"),
            new XElement("categories",
                new XElement("entry", new XAttribute("name", "host-info"),
                    new XElement("client-version", Bounded(facts.ClientVersion)),
                    new XElement("os", Bounded(facts.OsName)),
                    new XElement("os-vendor", "Linux"),
                    new XElement("domain", Bounded(facts.Domain)),
                    new XElement("host-name", Bounded(facts.Computer)),
                    new XElement("host-id", Bounded(facts.HostId)),
                    new XElement("network-interface",
                        new XElement("entry", new XAttribute("name", InterfaceName),
                            new XElement("description", InterfaceName),
                            new XElement("ip-address", new XElement("entry", new XAttribute("name", facts.ClientIp)))))),
                new XElement("entry", new XAttribute("name", "data-loss-prevention"), new XElement("list"))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), report).Declaration + "\n" + report.ToString();
    }

    /// <summary>
    /// Checks a report written elsewhere (a script) before it is sent: at most <see cref="MaxLength"/> characters, one
    /// well-formed XML document whose root is <c>&lt;hip-report&gt;</c>. Throws <see cref="GlobalProtectException"/>.
    /// </summary>
    public static void Check(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Length > MaxLength)
        {
            throw new GlobalProtectException($"HIP report: the report is larger than {MaxLength / 1024 / 1024} MiB");
        }

        var root = GpXml.ParseRoot(report, "HIP report", "<hip-report>");
        if (root.Name.LocalName != "hip-report")
        {
            throw new GlobalProtectException(
                $"HIP report: the document is a <{GpText.UntrustedText.Clean(root.Name.LocalName, 64)}>, not a <hip-report>");
        }
    }

    /// <summary>At most <see cref="MaxValueLength"/> characters, without control characters (XML cannot carry most).</summary>
    private static string Bounded(string value)
    {
        var clean = string.Concat(value.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)));
        return clean.Length <= MaxValueLength ? clean : clean[..MaxValueLength];
    }
}
