namespace GlobalProtect;

/// <summary>A completed login: what openconnect needs and what to save for later.</summary>
/// <param name="Portal">The portal, normalized to <c>host[:port]</c>.</param>
/// <param name="User">The user name that signed in.</param>
/// <param name="Gateway">The chosen gateway; openconnect connects to its address.</param>
/// <param name="Gateways">Every gateway the portal offered.</param>
/// <param name="OpenConnectCookie">The line to write to <c>openconnect --protocol=gp --cookie-on-stdin</c> (secret).</param>
/// <param name="Session">What to persist for reconnect and autoconnect.</param>
/// <param name="Region">The region the portal placed the client in, if it said.</param>
public sealed record LoginResult(
    string Portal,
    string User,
    GatewayInfo Gateway,
    IReadOnlyList<GatewayInfo> Gateways,
    string OpenConnectCookie,
    SavedSession Session,
    string? Region)
{
    /// <summary>The login's HTTP client, whose connection to the gateway the HIP exchange reuses.</summary>
    internal Client.KeptLoginHttp? Http { get; init; }

    /// <summary>Closes the connection the login left open for the HIP exchange, when nothing is going to use it.</summary>
    public void ReleaseConnection() => Http?.Take()?.Dispose();

    public override string ToString() =>
        $"LoginResult {{ Portal = {Portal}, User = {User}, Gateway = {Gateway}, Gateways = [{string.Join(", ", Gateways)}], " +
        $"OpenConnectCookie = {Redact.Secret(OpenConnectCookie)}, Session = {Session}, Region = {Region} }}";
}
