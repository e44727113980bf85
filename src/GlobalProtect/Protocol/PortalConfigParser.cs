using System.Globalization;
using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>Reads the portal getconfig <c>&lt;policy&gt;</c>; unknown elements are ignored, optional ones may be missing.</summary>
internal static class PortalConfigParser
{
    public static PortalConfig Parse(string xml, string source = "portal getconfig") =>
        Parse(GpXml.ParseRoot(xml, source, "<policy>"), source);

    public static PortalConfig Parse(XElement root, string source = "portal getconfig")
    {
        if (!GpXml.Is(root, "policy"))
        {
            throw new GlobalProtectException($"{source}: expected <policy>, got <{root.Name.LocalName}>");
        }

        var gateways = GpXml.Child(root, "gateways");
        var list = new List<PortalGateway>();
        list.AddRange(ReadList(gateways, "external", isInternal: false));
        list.AddRange(ReadList(gateways, "internal", isInternal: true));

        return new PortalConfig(
            GpXml.DisplayText(root, "portal-name"),
            GpXml.Text(root, "version"),
            list,
            Cookie(GpXml.Text(root, "portal-userauthcookie")),
            Cookie(GpXml.Text(root, "portal-prelogonuserauthcookie")),
            ReadRootCertificates(root),
            GpXml.Int(GpXml.Child(root, "hip-collection"), "hip-report-interval"));
    }

    /// <summary>Portals write "empty" where they have no cookie.</summary>
    public static string? Cookie(string? value) =>
        value is null || value.Equals("empty", StringComparison.OrdinalIgnoreCase) ? null : value;

    private static IEnumerable<PortalGateway> ReadList(XElement? gateways, string kind, bool isInternal)
    {
        var list = GpXml.Child(GpXml.Child(gateways, kind), "list");
        foreach (var entry in GpXml.Children(list, "entry"))
        {
            // An entry without an address cannot be connected to; skip it rather than fail the login.
            // Nor can one whose address holds control characters: shown as escapes, it would name another host.
            var address = GpXml.Attribute(entry, "name");
            if (address is null || !GpText.UntrustedText.IsClean(address) || address.Length > GpText.UntrustedText.MaxLength)
            {
                continue;
            }

            yield return new PortalGateway(
                address,
                GpXml.DisplayText(entry, "description"),
                GpXml.Int(entry, "priority"),
                ReadPriorityRules(entry),
                isInternal);
        }
    }

    private static List<PriorityRule> ReadPriorityRules(XElement entry)
    {
        var rules = new List<PriorityRule>();
        foreach (var rule in GpXml.Children(GpXml.Child(entry, "priority-rule"), "entry"))
        {
            var name = GpXml.Attribute(rule, "name");
            if (name is not null &&
                int.TryParse(GpXml.Text(rule, "priority"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority))
            {
                rules.Add(new PriorityRule(name, priority));
            }
        }

        return rules;
    }

    private static List<RootCertificate> ReadRootCertificates(XElement root) =>
        GpXml.Children(GpXml.Child(root, "root-ca"), "entry")
            .Select(e => (Name: GpXml.Attribute(e, "name"), Pem: GpXml.Text(e, "cert")))
            .Where(c => c.Pem is not null)
            .Select(c => new RootCertificate(c.Name, c.Pem!))
            .ToList();
}
