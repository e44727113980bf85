namespace GlobalProtect;

/// <summary>How server certificates are verified. With neither value set, the system trust store decides.</summary>
/// <param name="ServerCertPin">
/// <c>pin-sha256:BASE64</c> (openconnect's <c>--servercert</c> syntax): accept exactly the certificate with this
/// public key, and nothing else.
/// </param>
/// <param name="CaFile">A PEM bundle of CA certificates that replaces the system trust store.</param>
public sealed record TlsSettings(string? ServerCertPin = null, string? CaFile = null);
