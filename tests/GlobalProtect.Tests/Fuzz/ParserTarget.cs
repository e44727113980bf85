using GlobalProtect.Protocol;
using GlobalProtect.Selection;

namespace GlobalProtect.Tests.Fuzz;

/// <summary>
/// One entry point that reads untrusted server text, with what the library does next with a successful result
/// (choosing a gateway and parsing its address, building the openconnect cookie), so the fuzzing reaches those too.
/// </summary>
internal sealed record ParserTarget(string Name, Action<string> Parse)
{
    public override string ToString() => Name;

    public static readonly ParserTarget[] All =
    [
        new("prelogin", body =>
        {
            PreloginResponse prelogin = PreloginParser.Parse(body);
            _ = PreloginParser.Classify(prelogin.Message ?? "");
        }),
        new("portal-config", body => UseConfig(PortalConfigParser.Parse(body), "US")),
        new("jnlp", body => _ = OpenConnectCookie.Build(JnlpParser.Parse(body), "host.example.com")),
        new("challenge-script", body => _ = ChallengeScriptParser.TryParse(body)),
        new("server-reply", body =>
        {
            _ = ServerReplyReader.Read(512, body, "gateway login", "<jnlp>", "gw.example.com");
            FollowReply(ServerReplyReader.Read(200, body, "portal getconfig", "<policy>", "portal.example.com"));
        }),
        new("server-address", text =>
        {
            ServerAddress address = ServerAddress.Parse(text, "portal");
            _ = address.BaseUri;
            _ = address.BareHost;
        }),
    ];

    private static void FollowReply(ServerReply reply)
    {
        if (reply is ServerReply.Document document)
        {
            // The caller hands the document to its step's own parser: try both (a refusal by either is fine).
            Refusable(() => UseConfig(PortalConfigParser.Parse(document.Root), null));
            Refusable(() => _ = OpenConnectCookie.Build(JnlpParser.Parse(document.Root), "host.example.com"));
        }
    }

    private static void Refusable(Action parse)
    {
        try
        {
            parse();
        }
        catch (GlobalProtectException)
        {
        }
    }

    /// <summary>What LoginFlow does with a portal config: choose a gateway (by region, and by a name) and parse its address.</summary>
    private static void UseConfig(PortalConfig config, string? region)
    {
        PortalGateway chosen = GatewaySelector.Choose(config.Gateways, null, region);
        _ = ServerAddress.Parse(chosen.Address, "gateway").BaseUri;
        _ = config.Gateways.Select(g => g.ToInfo(region)).ToList();
        if (config.Gateways.Count > 0)
        {
            PortalGateway named = config.Gateways[^1];
            _ = GatewaySelector.Choose(config.Gateways, named.Description ?? named.Address, region);
        }
    }
}
