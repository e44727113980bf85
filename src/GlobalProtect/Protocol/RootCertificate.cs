namespace GlobalProtect.Protocol;

/// <summary>A CA certificate the portal distributes in <c>&lt;root-ca&gt;</c>.</summary>
internal sealed record RootCertificate(string? Name, string Pem);
