namespace GlobalProtect;

/// <summary>
/// The server's TLS certificate did not verify. <see cref="Pin"/> is the certificate's
/// <c>pin-sha256:BASE64</c> so that an administrator can decide to pin it.
/// </summary>
public sealed class CertificateVerificationException : GlobalProtectException
{
    public CertificateVerificationException(string host, string pin, string reason, Exception? innerException = null)
        : base($"the TLS certificate of {host} is not trusted ({reason}); if you trust it, set servercert = \"{pin}\"", innerException)
    {
        Host = host;
        Pin = pin;
    }

    /// <summary>The host whose certificate failed.</summary>
    public string Host { get; }

    /// <summary>The server certificate's public key pin, in openconnect's <c>pin-sha256:BASE64</c> form.</summary>
    public string Pin { get; }
}
