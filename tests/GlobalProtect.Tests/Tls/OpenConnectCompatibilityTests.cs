using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Tls;

/// <summary>
/// The real openconnect 9.01 and this client against the same loopback portal: same pin, same request forms,
/// same session cookie. openconnect hands our cookie to the gateway later, so the two must agree byte for byte.
/// </summary>
public sealed partial class OpenConnectCompatibilityTests
{
    private const string User = "CORP\\al ice";
    private const string Password = "p@ss word&+%\u00e9";
    private const string Computer = "test box";

    private static LoopbackHttpsServer Server(X509Certificate2 certificate)
    {
        LoopbackHttpsServer? server = null;
        server = new LoopbackHttpsServer(certificate, (path, _) => path switch
        {
            "/global-protect/prelogin.esp" or "/ssl-vpn/prelogin.esp" => (200, Gp.Prelogin()),
            "/global-protect/getconfig.esp" => (200, Gp.Policy([Gp.Gateway(server!.Authority, "Loopback")])),
            "/ssl-vpn/login.esp" => (200, Gp.Jnlp(
                "a+b/c=%41", User, portal: "GP Portal&x", domain: "%28empty_domain%29", preferredIp: "10.0.0.9", preferredIpv6: "fd00::9")),
            _ => (404, "not found"),
        });
        return server;
    }

    [Fact]
    public async Task Openconnect_prints_the_pin_this_client_computes()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var server = Server(certificate);

        var (exitCode, _, stderr) = await OpenConnectProcess.RunAsync(
            null, "--protocol=gp", "--non-inter", "--authenticate", server.Authority);

        Assert.NotEqual(0, exitCode);
        var printed = PinLine().Match(stderr);
        Assert.True(printed.Success, stderr);
        Assert.Equal(Pins.ComputePin(certificate), printed.Groups[1].Value);
    }

    [Fact]
    public async Task Openconnect_and_this_client_send_the_same_forms_and_build_the_same_cookie()
    {
        using var certificate = TestCertificates.SelfSigned();
        var pin = Pins.ComputePin(certificate);
        await using var theirs = Server(certificate);
        await using var ours = Server(certificate);

        var (exitCode, stdout, stderr) = await OpenConnectProcess.RunAsync(
            Password,
            "--protocol=gp", "--non-inter", "--authenticate", "--user", User, "--passwd-on-stdin",
            "--local-hostname", Computer, "--servercert", pin, theirs.Authority);
        var result = await new GlobalProtectClient(new ClientIdentity(Computer: Computer), new TlsSettings(ServerCertPin: pin), TimeSpan.FromSeconds(30))
            .LoginAsync(new LoginRequest(ours.Authority, User, Password, null), RecordingPrompter.None(), null, Deadline.Token());

        Assert.True(exitCode == 0, stderr);
        var cookie = CookieLine().Match(stdout);
        Assert.True(cookie.Success, stdout);
        Assert.Equal(cookie.Groups[1].Value, result.OpenConnectCookie);
        Assert.Equal(
            "authcookie=a%20b%2fc%3dA&portal=GP%20Portal%26x&user=CORP%5cal%20ice&domain=%28empty_domain%29" +
            "&preferred-ip=10.0.0.9&preferred-ipv6=fd00%3a%3a9&computer=test%20box",
            result.OpenConnectCookie);
        // The prelogin differs on purpose: this client adds the external-browser parameters (default-browser=1...).
        Assert.Equal(theirs.RequestBodies.Skip(1), ours.RequestBodies.Skip(1));
        Assert.Equal("", theirs.RequestBodies[0]);
        Assert.Contains("&default-browser=1&cas-support=yes", ours.RequestBodies[0]);
        Assert.Equal(theirs.RequestHeads.Select(h => h.Split("\r\n")[0]), ours.RequestHeads.Select(h => h.Split("\r\n")[0]));
    }

    [GeneratedRegex("--servercert (pin-sha256:[A-Za-z0-9+/=]+)")]
    private static partial Regex PinLine();

    [GeneratedRegex("^COOKIE='([^']*)'$", RegexOptions.Multiline)]
    private static partial Regex CookieLine();
}
