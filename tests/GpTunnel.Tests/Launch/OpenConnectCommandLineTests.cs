using GpTunnel.Launch;

namespace GpTunnel.Tests.Launch;

public sealed class OpenConnectCommandLineTests
{
    private static readonly OpenConnectOptions Options = new() { RuntimeDirectory = "/run/gpdaemon/tunnel" };

    [Fact]
    public void Minimal_command_line_has_no_optional_flags()
    {
        var argv = OpenConnectCommandLine.Build(Options, new TunnelStartInfo("gw.example.com", "authcookie=s3cret", null, null),
            "/run/gpdaemon/tunnel/vpnc-wrapper.sh");

        Assert.Equal(
        [
            "/usr/sbin/openconnect", "--protocol=gp", "--cookie-on-stdin", "--non-inter",
            "--script", "exec '/run/gpdaemon/tunnel/vpnc-wrapper.sh'", "--os", "linux-64", "--", "gw.example.com",
        ], argv);
    }

    [Fact]
    public void Every_option_lands_in_place_and_the_cookie_nowhere()
    {
        var options = Options with
        {
            ScriptTun = true,
            Interface = "gp0",
            Mtu = 1200,
            DeadPeerInterval = TimeSpan.FromSeconds(30),
            ExtraArgs = ["--no-dtls", "-v"]
        };
        var argv = OpenConnectCommandLine.Build(options,
            new TunnelStartInfo("gw.example.com:4443", "authcookie=s3cret", "pin-sha256:xyz=", "/etc/ca.pem", "win"), "/w.sh");

        Assert.Equal(
        [
            "/usr/sbin/openconnect", "--protocol=gp", "--cookie-on-stdin", "--non-inter",
            "--servercert", "pin-sha256:xyz=", "--no-system-trust", "--cafile", "/etc/ca.pem", "--script", "exec '/w.sh'", "--script-tun",
            "--interface", "gp0", "--mtu", "1200", "--force-dpd=30", "--os", "win", "--no-dtls", "-v", "--", "gw.example.com:4443",
        ], argv);
        Assert.DoesNotContain(argv, a => a.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_keeps_the_rest_and_sets_the_locale()
    {
        var environment = OpenConnectCommandLine.Environment(new Dictionary<string, string?>
        {
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/root",
            ["NOTIFY_SOCKET"] = "/run/systemd/notify",
            ["WATCHDOG_PID"] = "1",
            ["WATCHDOG_USEC"] = "1",
            ["LISTEN_FDS"] = "1",
            ["LISTEN_PID"] = "1",
            ["LISTEN_FDNAMES"] = "x",
            ["JOURNAL_STREAM"] = "8:1",
            ["CREDENTIALS_DIRECTORY"] = "/run/credentials/gpdaemon.service",
            ["LANG"] = "de_DE.UTF-8",
            ["LANGUAGE"] = "de",
            ["LC_ALL"] = "de_DE.UTF-8",
            ["INVOCATION_ID"] = "abc",
        });

        Assert.Equal(["PATH=/usr/bin", "HOME=/root", "LANG=de_DE.UTF-8", "INVOCATION_ID=abc", "LC_ALL=C.UTF-8"], environment);
    }

    [Fact]
    public void Environment_without_path_gets_a_standard_one()
    {
        var environment = OpenConnectCommandLine.Environment(new Dictionary<string, string?>());
        Assert.Contains(environment, e => e.StartsWith("PATH=", StringComparison.Ordinal) && e.Contains("/usr/sbin", StringComparison.Ordinal));
    }
}
