namespace FakeGlobalProtect.Options;

/// <summary>Maps scenarios to the kebab-case names used on the command line.</summary>
public static class ScenarioNames
{
    private static readonly (Scenario Scenario, string Name)[] Names =
    [
        (Scenario.Password, "password"),
        (Scenario.PortalMfa, "portal-mfa"),
        (Scenario.GatewayMfa, "gateway-mfa"),
        (Scenario.MultiGateway, "multi-gateway"),
        (Scenario.PortalCookie, "portal-cookie"),
        (Scenario.GatewayRejectsCookie, "gateway-rejects-cookie"),
        (Scenario.WrongPassword, "wrong-password"),
        (Scenario.GatewayOnly, "gateway-only"),
        (Scenario.Saml, "saml"),
        (Scenario.Slow, "slow"),
        (Scenario.Hang, "hang"),
        (Scenario.Malformed, "malformed"),
        (Scenario.Http500, "http500"),
        (Scenario.Tunnel502, "tunnel-502"),
        (Scenario.DropTunnel, "drop-tunnel"),
        (Scenario.StatusError, "status-error"),
        (Scenario.HugeBody, "huge-body"),
        (Scenario.Endless, "endless"),
        (Scenario.WrongCert, "wrong-cert"),
        (Scenario.RedirectLoop, "redirect-loop"),
        (Scenario.DeepXml, "deep-xml"),
        (Scenario.SamlPost, "saml-post"),
        (Scenario.SamlGateway, "saml-gateway"),
        (Scenario.SamlCas, "saml-cas"),
        (Scenario.SamlHeader, "saml-header"),
        (Scenario.SamlExpiry, "saml-expiry"),
        (Scenario.HostileText, "hostile-text"),
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string ToName(Scenario scenario) =>
        Names.First(n => n.Scenario == scenario).Name;

    public static bool TryParse(string name, out Scenario scenario)
    {
        foreach (var (value, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                scenario = value;
                return true;
            }
        }
        scenario = default;
        return false;
    }
}
