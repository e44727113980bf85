namespace GlobalProtect.Protocol;

/// <summary>The parts of the portal's <c>&lt;policy&gt;</c> that a client uses (docs/globalprotect-protocol.md section 2).</summary>
internal sealed record PortalConfig(
    string? PortalName,
    string? Version,
    IReadOnlyList<PortalGateway> Gateways,
    string? PortalUserAuthCookie,
    string? PortalPrelogonUserAuthCookie,
    IReadOnlyList<RootCertificate> RootCertificates,
    int? HipReportInterval)
{
    public override string ToString() =>
        $"PortalConfig {{ PortalName = {PortalName}, Version = {Version}, Gateways = [{string.Join(", ", Gateways)}], " +
        $"PortalUserAuthCookie = {Redact.Secret(PortalUserAuthCookie)}, " +
        $"PortalPrelogonUserAuthCookie = {Redact.Secret(PortalPrelogonUserAuthCookie)}, " +
        $"RootCertificates = {RootCertificates.Count}, HipReportInterval = {HipReportInterval} }}";
}
