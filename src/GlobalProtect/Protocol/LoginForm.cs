namespace GlobalProtect.Protocol;

/// <summary>
/// The form body of the portal getconfig and the gateway login (docs/globalprotect-protocol.md section 2). Field order
/// follows the doc; values are percent-encoded exactly as openconnect 9.01 does (see <see cref="FormEncoding"/>).
/// </summary>
internal sealed record LoginForm(ClientIdentity Identity, string Server, string User, string Password)
{
    public string? PortalUserAuthCookie { get; init; }

    public string? PortalPrelogonUserAuthCookie { get; init; }

    /// <summary>A SAML sign-in's cookie, sent with an empty password (as openconnect's prelogin-cookie usergroup).</summary>
    public string? PreloginCookie { get; init; }

    /// <summary>The challenge token to echo back with a one-time code in <see cref="Password"/>.</summary>
    public string? InputStr { get; init; }

    public const string ContentType = "application/x-www-form-urlencoded";

    public string Encode()
    {
        var body = new System.Text.StringBuilder(
            "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=");
        body.Append(FormEncoding.Escape(Identity.ClientVersion));
        // "prot=https:" is sent literally by every client; servers compare it as is.
        body.Append("&prot=https:&internal=no&ipv6-support=yes");
        Append(body, "clientos", Identity.ClientOs);
        Append(body, "os-version", Identity.OsVersion);
        Append(body, "server", Server);
        Append(body, "computer", Identity.EffectiveComputer);
        if (PortalUserAuthCookie is not null)
        {
            Append(body, "portal-userauthcookie", PortalUserAuthCookie);
        }

        if (PortalPrelogonUserAuthCookie is not null)
        {
            Append(body, "portal-prelogonuserauthcookie", PortalPrelogonUserAuthCookie);
        }

        if (InputStr is not null)
        {
            Append(body, "inputStr", InputStr);
        }

        Append(body, "user", User);
        Append(body, "passwd", Password);
        if (PreloginCookie is not null)
        {
            Append(body, "prelogin-cookie", PreloginCookie);
        }

        return body.ToString();
    }

    public override string ToString() =>
        $"LoginForm {{ Server = {Server}, User = {User}, Password = {Redact.Secret(Password)}, " +
        $"PortalUserAuthCookie = {Redact.Secret(PortalUserAuthCookie)}, " +
        $"PortalPrelogonUserAuthCookie = {Redact.Secret(PortalPrelogonUserAuthCookie)}, " +
        $"PreloginCookie = {Redact.Secret(PreloginCookie)}, InputStr = {InputStr} }}";

    private static void Append(System.Text.StringBuilder body, string name, string value) =>
        body.Append('&').Append(name).Append('=').Append(FormEncoding.Escape(value));
}
