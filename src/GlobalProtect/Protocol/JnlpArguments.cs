namespace GlobalProtect.Protocol;

/// <summary>
/// The gateway login's jnlp, by position (docs/globalprotect-protocol.md section 3), URL-decoded. Empty, <c>(null)</c>
/// and <c>-1</c> read as null.
/// </summary>
internal sealed record JnlpArguments(
    string AuthCookie,
    string? PersistentCookie,
    string? PortalName,
    string User,
    string? AuthenticationSource,
    string? Configuration,
    string? Domain,
    string ConnectionType,
    string? PasswordExpirationDays,
    string? ClientVersion,
    string? PreferredIp,
    string? PortalUserAuthCookie,
    string? PortalPrelogonUserAuthCookie,
    string? PreferredIpv6)
{
    public override string ToString() =>
        $"JnlpArguments {{ AuthCookie = {Redact.Secret(AuthCookie)}, PersistentCookie = {Redact.Secret(PersistentCookie)}, " +
        $"PortalName = {PortalName}, User = {User}, AuthenticationSource = {AuthenticationSource}, " +
        $"Configuration = {Configuration}, Domain = {Domain}, ConnectionType = {ConnectionType}, " +
        $"PasswordExpirationDays = {PasswordExpirationDays}, ClientVersion = {ClientVersion}, PreferredIp = {PreferredIp}, " +
        $"PortalUserAuthCookie = {Redact.Secret(PortalUserAuthCookie)}, " +
        $"PortalPrelogonUserAuthCookie = {Redact.Secret(PortalPrelogonUserAuthCookie)}, PreferredIpv6 = {PreferredIpv6} }}";
}
