using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>A successful portal getconfig and the portal cookies to present at the gateway.</summary>
internal sealed record PortalLogin(PortalConfig Config, string? Cookie, string? PrelogonCookie)
{
    public override string ToString() =>
        $"PortalLogin {{ Config = {Config}, Cookie = {Redact.Secret(Cookie)}, PrelogonCookie = {Redact.Secret(PrelogonCookie)} }}";
}
