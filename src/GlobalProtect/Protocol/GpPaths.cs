namespace GlobalProtect.Protocol;

/// <summary>The request paths of the GlobalProtect protocol (protocol doc sections 1-3).</summary>
internal static class GpPaths
{
    public const string PortalConfig = "/global-protect/getconfig.esp";
    public const string GatewayLogin = "/ssl-vpn/login.esp";

    /// <summary>The prelogin URL with its query string, exactly as openconnect 9.01 sends it (no body).</summary>
    public static string Prelogin(bool portal, ClientIdentity identity) =>
        (portal ? "/global-protect/prelogin.esp" : "/ssl-vpn/prelogin.esp") +
        $"?tmp=tmp&clientVer={FormEncoding.Escape(identity.ClientVersion)}&clientos={FormEncoding.Escape(identity.ClientOs)}";
}
