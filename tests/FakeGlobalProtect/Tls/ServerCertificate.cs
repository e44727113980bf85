using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FakeGlobalProtect.Tls;

/// <summary>The fake's TLS identity: a generated self-signed certificate or one loaded from a PFX file.</summary>
public static class ServerCertificate
{
    /// <summary>The only name in the certificate the wrong-cert scenario serves.</summary>
    public const string WrongName = "wrong.example";

    /// <summary>A fresh self-signed ECDSA P-256 certificate for CN=localhost with SANs localhost, 127.0.0.1 and ::1.</summary>
    public static X509Certificate2 CreateSelfSigned()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        return CreateSelfSigned("localhost", names);
    }

    /// <summary>A fresh self-signed certificate for <paramref name="dnsName"/> alone: not valid for this listener's address.</summary>
    public static X509Certificate2 CreateSelfSignedFor(string dnsName)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        return CreateSelfSigned(dnsName, names);
    }

    private static X509Certificate2 CreateSelfSigned(string commonName, SubjectAlternativeNameBuilder names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Loads a PFX without a password (what --cert takes).</summary>
    public static X509Certificate2 Load(string path)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        if (!certificate.HasPrivateKey)
        {
            throw new CryptographicException($"{path} holds no private key");
        }

        return certificate;
    }

    /// <summary>openconnect's --servercert pin: "pin-sha256:" + base64(SHA-256(SubjectPublicKeyInfo)).</summary>
    public static string Pin(X509Certificate2 certificate) =>
        "pin-sha256:" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
