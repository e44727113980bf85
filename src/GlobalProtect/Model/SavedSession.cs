namespace GlobalProtect;

/// <summary>
/// What a later reconnect or boot-time autoconnect needs from a successful login. It carries secrets (the
/// portal cookies and the openconnect cookie): persist it only where only the service can read it.
/// Serialize it with <see cref="GlobalProtectJsonContext"/>.
/// </summary>
/// <param name="Portal">The portal (normalized <c>host[:port]</c>) the session belongs to.</param>
/// <param name="User">The user name that signed in.</param>
/// <param name="PortalUserAuthCookie">The portal's <c>portal-userauthcookie</c> (secret), or null when it gave none.</param>
/// <param name="PortalPrelogonUserAuthCookie">The portal's <c>portal-prelogonuserauthcookie</c> (secret), or null.</param>
/// <param name="Gateways">The gateways the portal offered.</param>
/// <param name="Gateway">The gateway that was chosen.</param>
/// <param name="SavedAt">When the login completed.</param>
/// <param name="OpenConnectCookie">The session cookie handed to openconnect (secret), for reconnecting without a new login.</param>
public sealed record SavedSession(
    string Portal,
    string User,
    string? PortalUserAuthCookie,
    string? PortalPrelogonUserAuthCookie,
    IReadOnlyList<GatewayInfo> Gateways,
    GatewayInfo? Gateway,
    DateTimeOffset SavedAt,
    string? OpenConnectCookie = null)
{
    public override string ToString() =>
        $"SavedSession {{ Portal = {Portal}, User = {User}, PortalUserAuthCookie = {Redact.Secret(PortalUserAuthCookie)}, " +
        $"PortalPrelogonUserAuthCookie = {Redact.Secret(PortalPrelogonUserAuthCookie)}, Gateways = [{string.Join(", ", Gateways)}], " +
        $"Gateway = {Gateway}, SavedAt = {SavedAt:O}, OpenConnectCookie = {Redact.Secret(OpenConnectCookie)} }}";
}
