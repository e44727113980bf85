using System.Security.Cryptography.X509Certificates;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Tls;

/// <summary>Real TLS over loopback sockets with the client's default socket handler.</summary>
public sealed class TlsVerificationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gp-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<LoginResult> LoginAsync(string portal, TlsSettings tls) =>
        new GlobalProtectClient(new ClientIdentity(Computer: "testbox"), tls, TimeSpan.FromSeconds(30))
            .LoginAsync(new LoginRequest(portal, "alice", "pw", null), RecordingPrompter.None(), null, Deadline.Token());

    [Fact]
    public async Task Pinned_certificate_is_accepted_for_the_whole_login()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var result = await LoginAsync(server.Authority, new TlsSettings(ServerCertPin: Pins.ComputePin(certificate)));

        Assert.Equal(server.Authority, result.Gateway.Address);
        Assert.StartsWith("authcookie=loopcookie&", result.OpenConnectCookie);
    }

    [Fact]
    public async Task Requests_on_the_wire_carry_the_exact_headers()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        await LoginAsync(server.Authority, new TlsSettings(ServerCertPin: Pins.ComputePin(certificate)));

        Assert.Equal(3, server.RequestHeads.Count);
        Assert.All(server.RequestHeads, head => Assert.Contains("\r\nUser-Agent: PAN GlobalProtect\r\n", head));
        Assert.StartsWith("POST /global-protect/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Linux HTTP/1.1\r\n", server.RequestHeads[0]);
        Assert.Contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n", server.RequestHeads[0]);
        Assert.StartsWith("POST /global-protect/getconfig.esp HTTP/1.1\r\n", server.RequestHeads[1]);
        Assert.Contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n", server.RequestHeads[1]);
        Assert.StartsWith("POST /ssl-vpn/login.esp HTTP/1.1\r\n", server.RequestHeads[2]);
    }

    [Fact]
    public async Task Untrusted_certificate_is_refused_with_its_pin()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var ex = await Assert.ThrowsAsync<CertificateVerificationException>(() => LoginAsync(server.Authority, new TlsSettings()));

        var pin = Pins.ComputePin(certificate);
        Assert.Equal(pin, ex.Pin);
        Assert.Equal("127.0.0.1", ex.Host);
        Assert.Equal(
            $"the TLS certificate of 127.0.0.1 is not trusted (it does not chain to a CA the system trusts); if you trust it, set servercert = \"{pin}\"",
            ex.Message);
        Assert.Empty(server.RequestHeads);
    }

    [Fact]
    public async Task Other_pin_is_refused()
    {
        using var certificate = TestCertificates.SelfSigned();
        using var other = TestCertificates.SelfSigned();
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var ex = await Assert.ThrowsAsync<CertificateVerificationException>(
            () => LoginAsync(server.Authority, new TlsSettings(ServerCertPin: Pins.ComputePin(other))));

        Assert.Equal(Pins.ComputePin(certificate), ex.Pin);
        Assert.Contains("it does not match the configured servercert pin", ex.Message);
    }

    [Fact]
    public async Task Certificate_issued_by_the_ca_file_is_accepted()
    {
        using var authority = TestCertificates.Authority("Test Root");
        using var certificate = TestCertificates.IssuedBy(authority);
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var result = await LoginAsync(server.Authority, new TlsSettings(CaFile: TestCertificates.WritePem(_directory, authority)));

        Assert.Equal(server.Authority, result.Gateway.Address);
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_refused()
    {
        using var authority = TestCertificates.Authority("Test Root");
        using var stranger = TestCertificates.Authority("Other Root");
        using var certificate = TestCertificates.IssuedBy(stranger);
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var ex = await Assert.ThrowsAsync<CertificateVerificationException>(
            () => LoginAsync(server.Authority, new TlsSettings(CaFile: TestCertificates.WritePem(_directory, authority))));

        Assert.Contains("it does not chain to a CA in cafile", ex.Message);
        Assert.Equal(Pins.ComputePin(certificate), ex.Pin);
    }

    [Fact]
    public async Task Certificate_for_another_name_is_refused_even_from_the_right_ca()
    {
        using var authority = TestCertificates.Authority("Test Root");
        using var certificate = TestCertificates.IssuedBy(authority);
        await using var server = LoopbackHttpsServer.GlobalProtect(certificate);

        var ex = await Assert.ThrowsAsync<CertificateVerificationException>(
            () => LoginAsync($"localhost:{server.Port}", new TlsSettings(CaFile: TestCertificates.WritePem(_directory, authority))));

        Assert.Contains("its name does not match the host", ex.Message);
    }

    [Fact]
    public async Task Unreadable_ca_file_is_reported()
    {
        var missing = Path.Combine(_directory, "missing.pem");

        var ex = await Assert.ThrowsAsync<GlobalProtectException>(() => LoginAsync("127.0.0.1:1", new TlsSettings(CaFile: missing)));

        Assert.StartsWith($"cannot read cafile {missing}", ex.Message);
    }

    [Fact]
    public void Pin_is_the_base64_sha256_of_the_subject_public_key_info()
    {
        using var certificate = TestCertificates.SelfSigned();
        var expected = Convert.ToBase64String(
            System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        Assert.Equal("pin-sha256:" + expected, Pins.ComputePin(certificate));
        Assert.True(Pins.TryParse(Pins.ComputePin(certificate), out var hash));
        Assert.True(Pins.Matches(certificate, hash));
        Assert.False(Pins.TryParse("pin-sha256:AAAA", out _));
        Assert.False(Pins.TryParse("sha256:" + expected, out _));
    }
}
