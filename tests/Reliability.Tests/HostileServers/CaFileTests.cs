using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GpControl;
using GpDaemon.TestSupport;

namespace Reliability.Tests.HostileServers;

/// <summary>
/// `cafile` replaces the system trust store for the daemon's own HTTPS and for openconnect alike. A gateway that,
/// after the daemon's login, switches to a certificate from a CA the system trusts (but cafile does not) gets no
/// cookie from either. The system store is a copy with the test's CA appended, bind-mounted over the bundle that
/// GnuTLS (openconnect) and OpenSSL (.NET) read, inside a mount namespace private to the daemon and its children.
/// </summary>
public sealed class CaFileTests
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    [Fact]
    public async Task A_gateway_with_a_system_trusted_certificate_outside_cafile_gets_no_cookie()
    {
        using var dir = new TempDirectory();
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256), systemCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = CreateCa("gpdaemon test cafile CA", caKey);
        using X509Certificate2 systemCa = CreateCa("gpdaemon test system-only CA", systemCaKey);
        File.WriteAllText(dir.Combine("cafile.pem"), ca.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.Combine("system-bundle.crt"), File.ReadAllText(SystemBundle) + "\n" + systemCa.ExportCertificatePem() + "\n");
        WriteServerPfx(dir.Combine("trusted.pfx"), ca, caKey);
        WriteServerPfx(dir.Combine("system-only.pfx"), systemCa, systemCaKey);

        await using FakePortal fake = await FakePortal.StartAsync("password",
            "--cert", dir.Combine("trusted.pfx"), "--cert-after-login", dir.Combine("system-only.pfx"));
        string[] launcher = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
            "mount --bind \"$0\" " + SystemBundle + " && exec \"$@\"", dir.Combine("system-bundle.crt")];
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, $"""
            cafile = "{dir.Combine("cafile.pem")}"

            [openconnect]
            script_tun = true

            # The daemon's HIP exchange goes over the connection it verified at the gateway login, before the switch;
            # this test is about openconnect's own connections.
            [client]
            hip_report = false
            """, launcher: launcher);

        // The daemon's login: the portal and gateway present the cafile CA's certificate; then the gateway switches.
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, fake.Password + "\n",
            "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin");
        Assert.Equal(1, fake.Count("gateway-login"));

        // openconnect refuses the switched certificate: the tunnel fails, and the authcookie never reached getconfig.
        Assert.True(connect.ExitCode == 1, $"{connect}\n{daemon.Output}\n{string.Join('\n', fake.Events)}");
        Assert.Contains("tls-switched", string.Join('\n', fake.Events));
        Assert.Equal(0, fake.Count("ssl-getconfig") + fake.Count("tunnel-connect"));
        VpnStatus failed = await daemon.StatusAsync();
        Assert.Equal("Failed", failed.State);

        // The daemon's own HTTPS refuses it too: a new login sends nothing, not even the prelogin.
        int prelogins = fake.Count("prelogin"), portalConfigs = fake.Count("portal-config");
        ProcessResult again = await Run.GpctlWithInputAsync(daemon.SocketPath, fake.Password + "\n",
            "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("cafile", again.Stderr);
        Assert.Equal(prelogins, fake.Count("prelogin"));
        Assert.Equal(portalConfigs, fake.Count("portal-config"));
        Assert.Equal(1, fake.Count("gateway-login"));
    }

    private static X509Certificate2 CreateCa(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A certificate for 127.0.0.1 and localhost issued by <paramref name="ca"/>, with its key, as the fake's --cert takes it.</summary>
    private static void WriteServerPfx(string path, X509Certificate2 ca, ECDsa caKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx));
    }
}
