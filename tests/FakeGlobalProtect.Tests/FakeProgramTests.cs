using System.Security.Cryptography.X509Certificates;
using FakeGlobalProtect.Tests.Support;
using FakeGlobalProtect.Tls;

namespace FakeGlobalProtect.Tests;

/// <summary>The fake-globalprotect program itself: its output contract, signals and exit codes.</summary>
public sealed class FakeProgramTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Prints_address_and_pin_first_and_exits_0_on_signal(string signal)
    {
        await using var fake = await FakeProcess.StartAsync();

        Assert.Equal($"listening 127.0.0.1:{fake.Port}", fake.Process.StdoutLines[0]);
        Assert.Matches("^pin pin-sha256:[A-Za-z0-9+/]{43}=$", fake.Process.StdoutLines[1]);
        Assert.NotEqual(0, fake.Port);

        await fake.Process.SignalAsync(signal);
        Assert.Equal(0, await fake.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task The_pin_is_the_one_of_the_certificate_it_serves()
    {
        await using var fake = await FakeProcess.StartAsync();
        string? served = null;

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fake.EndPoint);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            served = ServerCertificate.Pin(new X509Certificate2(certificate!));
            return true;
        });
        await tls.AuthenticateAsClientAsync("localhost");

        Assert.Equal(fake.Pin, served);
    }

    [Fact]
    public async Task Cert_option_serves_the_given_certificate()
    {
        using var certificate = ServerCertificate.CreateSelfSigned();
        var path = Path.Combine(Path.GetTempPath(), $"fakegp-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx));
        try
        {
            await using var fake = await FakeProcess.StartAsync("--cert", path);

            Assert.Equal(ServerCertificate.Pin(certificate), fake.Pin);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_the_reason_on_stderr()
    {
        await using var process = await ChildProcess.StartAsync("dotnet", [FakeProcess.DllPath, "--listen", "127.0.0.1:0", "--scenario", "bogus"]);

        Assert.Equal(2, await process.WaitForExitAsync());
        Assert.Empty(process.StdoutLines);
        Assert.Contains("unknown scenario 'bogus'", process.Stderr, StringComparison.Ordinal);
        Assert.Contains("gateway-rejects-cookie", process.Stderr, StringComparison.Ordinal);
    }
}
