namespace GlobalProtect.Protocol;

/// <summary>A successful SAML sign-in: who, and the cookie that replaces the password (docs/globalprotect-protocol.md section 6).</summary>
/// <param name="User">The identity provider's user name, when the result names one.</param>
/// <param name="PreloginCookie">Goes in <c>prelogin-cookie</c> (secret).</param>
/// <param name="PortalUserAuthCookie">Goes in <c>portal-userauthcookie</c> (secret).</param>
internal sealed record SamlResult(string? User, string? PreloginCookie, string? PortalUserAuthCookie)
{
    public override string ToString() =>
        $"SamlResult {{ User = {User}, PreloginCookie = {Redact.Secret(PreloginCookie)}, PortalUserAuthCookie = {Redact.Secret(PortalUserAuthCookie)} }}";
}
