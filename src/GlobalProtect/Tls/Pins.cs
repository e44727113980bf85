using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GlobalProtect;

/// <summary>
/// Certificate pins in openconnect's <c>--servercert</c> syntax: <c>pin-sha256:</c> followed by the base64
/// SHA-256 of the certificate's DER SubjectPublicKeyInfo.
/// </summary>
public static class Pins
{
    public const string Prefix = "pin-sha256:";

    /// <summary>The certificate's pin, <c>pin-sha256:BASE64</c>, exactly as openconnect prints and accepts it.</summary>
    public static string ComputePin(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Prefix + Convert.ToBase64String(SubjectPublicKeyHash(certificate));
    }

    /// <summary>Reads <c>pin-sha256:BASE64</c> into the 32-byte hash; false for any other form.</summary>
    public static bool TryParse(string? pin, out byte[] hash)
    {
        hash = [];
        var text = pin?.Trim();
        if (text is null || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(text[Prefix.Length..], buffer, out var written) || written != SHA256.HashSizeInBytes)
        {
            return false;
        }

        hash = buffer[..written];
        return true;
    }

    /// <summary>True when the certificate's public key is the pinned one.</summary>
    public static bool Matches(X509Certificate2 certificate, ReadOnlySpan<byte> pinnedHash)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CryptographicOperations.FixedTimeEquals(SubjectPublicKeyHash(certificate), pinnedHash);
    }

    private static byte[] SubjectPublicKeyHash(X509Certificate2 certificate) =>
        SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
}
