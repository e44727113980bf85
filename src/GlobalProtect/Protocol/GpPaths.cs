namespace GlobalProtect.Protocol;

/// <summary>The request paths of the GlobalProtect protocol (docs/globalprotect-protocol.md sections 1-3).</summary>
internal static class GpPaths
{
    public const string PortalConfig = "/global-protect/getconfig.esp";
    public const string GatewayLogin = "/ssl-vpn/login.esp";
    public const string GatewayConfig = "/ssl-vpn/getconfig.esp";
    public const string HipReportCheck = "/ssl-vpn/hipreportcheck.esp";
    public const string HipReport = "/ssl-vpn/hipreport.esp";

    /// <summary>The prelogin URL with its query string, exactly as openconnect 9.01 sends it (no body).</summary>
    public static string Prelogin(bool portal, ClientIdentity identity) =>
        (portal ? "/global-protect/prelogin.esp" : "/ssl-vpn/prelogin.esp") +
        $"?tmp=tmp&clientVer={FormEncoding.Escape(identity.ClientVersion)}&clientos={FormEncoding.Escape(identity.ClientOs)}";

    /// <summary>
    /// The prelogin form body the official clients send when sign-in happens in the system browser
    /// (docs/globalprotect-protocol.md section 6): with <c>default-browser=1</c> a SAML portal ends with the
    /// <c>globalprotectcallback:</c> link. Portals that do not know these fields ignore them.
    /// </summary>
    public static string PreloginBody(ClientIdentity identity) =>
        $"tmp=tmp&clientVer={FormEncoding.Escape(identity.ClientVersion)}&clientos={FormEncoding.Escape(identity.ClientOs)}" +
        $"&os-version={FormEncoding.Escape(identity.OsVersion)}&host-id={FormEncoding.Escape(identity.EffectiveHostId)}" +
        "&ipv6-support=yes&default-browser=1&cas-support=yes";
}
