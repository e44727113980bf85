using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FakeGlobalProtect.Tls;

namespace FakeGlobalProtect.Tests;

public sealed class ServerCertificateTests
{
    [Fact]
    public void Generated_certificate_is_for_localhost_and_127_0_0_1_with_a_private_key()
    {
        using var certificate = ServerCertificate.CreateSelfSigned();

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=localhost", certificate.Subject);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
    }

    [Fact]
    public void Pin_is_the_sha256_of_the_subject_public_key_info()
    {
        using var certificate = ServerCertificate.CreateSelfSigned();
        using var key = certificate.GetECDsaPublicKey()!;

        var pin = ServerCertificate.Pin(certificate);

        Assert.Equal("pin-sha256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), pin);
        Assert.NotEqual(pin, ServerCertificate.Pin(ServerCertificate.CreateSelfSigned()));
    }

    [Fact]
    public void A_saved_pfx_loads_back_with_the_same_pin()
    {
        using var certificate = ServerCertificate.CreateSelfSigned();
        var path = Path.Combine(Path.GetTempPath(), $"fakegp-{Guid.NewGuid():N}.pfx");
        try
        {
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));

            using var loaded = ServerCertificate.Load(path);

            Assert.True(loaded.HasPrivateKey);
            Assert.Equal(ServerCertificate.Pin(certificate), ServerCertificate.Pin(loaded));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
