using System.Security.Cryptography;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>
/// DNS through /etc/resolv.conf (no systemd-resolved), set by Debian's real vpnc-script on a real tun device. The
/// daemon runs in a mount namespace of its own where /etc/resolv.conf and /run/vpnc (the script's backups, named after
/// openconnect's pid) are this test's files, and nsswitch.conf does not name resolved, so the host's stay untouched.
/// </summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class ResolvConfTests
{
    private const string Original = "# the test's own resolv.conf\nnameserver 192.0.2.53\nsearch example.test\noptions edns0\n";

    [Fact]
    public async Task OpenconnectKilled_TheDaemonRestoresResolvConf_BeforeItReportsTheTunnelGone()
    {
        using var dir = new TempDirectory();
        var (subnet, launcher) = Prepare(dir);
        await using FakePortal fake = await StartFakeAsync(subnet);
        await using DaemonProcess daemon = await StartDaemonAsync(dir, fake, launcher);
        await ConnectAsync(dir, daemon, fake, subnet);
        int openconnect = Assert.Single(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.True(File.Exists(dir.Combine("vpnc-run", $"resolv.conf-backup.{openconnect}")), Listing(dir));

        // SIGKILL: openconnect runs no disconnect, so the vpnc-script never restores resolv.conf by itself.
        Signals.Send(openconnect, Signals.SIGKILL);
        // The first reconnect waits a minute (config below): Reconnecting means the exit has been handled.
        await daemon.WaitForStatusAsync(s => s.State == "Reconnecting");

        Assert.Equal(Original, File.ReadAllText(dir.Combine("resolv.conf")));
        Assert.Empty(Directory.GetFiles(dir.Combine("vpnc-run")));
        Assert.Contains("ended without the vpnc-script's disconnect", daemon.Output);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        Assert.Equal(Original, File.ReadAllText(dir.Combine("resolv.conf")));
    }

    [Fact]
    public async Task CleanDisconnect_RestoresResolvConf_ThroughOpenconnectAlone()
    {
        using var dir = new TempDirectory();
        var (subnet, launcher) = Prepare(dir);
        await using FakePortal fake = await StartFakeAsync(subnet);
        await using DaemonProcess daemon = await StartDaemonAsync(dir, fake, launcher);
        await ConnectAsync(dir, daemon, fake, subnet);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);

        Assert.Equal(Original, File.ReadAllText(dir.Combine("resolv.conf")));
        Assert.Empty(Directory.GetFiles(dir.Combine("vpnc-run")));
        Assert.Contains("result=ok", await fake.WaitForEventAsync("logout"));
        Assert.DoesNotContain("ended without the vpnc-script's disconnect", daemon.Output);
    }

    /// <summary>The test's resolv.conf, nsswitch.conf and /run/vpnc, and the launcher that mounts them for the daemon.</summary>
    private static (string Subnet, string[] Launcher) Prepare(TempDirectory dir)
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/dev/net/tun"), "needs root and /dev/net/tun, as CI has");
        Assert.True(File.Exists("/usr/share/vpnc-scripts/vpnc-script"), "needs Debian's vpnc-scripts");
        File.WriteAllText(dir.Combine("resolv.conf"), Original);
        File.WriteAllText(dir.Combine("nsswitch.conf"), "hosts: files dns\n");
        Directory.CreateDirectory(dir.Combine("vpnc-run"));
        // Benchmarking addresses, random so that two runs on one machine do not claim the same; only the tun device
        // gets a route (the gateway pushes one split route, and it is on loopback, which the script leaves alone).
        string subnet = $"198.18.{RandomNumberGenerator.GetInt32(100, 250)}";
        // The vpnc-script creates /run/vpnc itself when it is missing; here it must exist to be covered. A resolvconf
        // program would take precedence over the file: hidden behind /dev/null, which is not executable.
        string[] launcher = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", """
            mkdir -p /run/vpnc &&
            mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/nsswitch.conf && mount --bind "$3" /run/vpnc &&
            { [ ! -e /sbin/resolvconf ] || mount --bind /dev/null /sbin/resolvconf; } &&
            shift 3 && exec "$@"
            """, "gpdaemon-test", dir.Combine("resolv.conf"), dir.Combine("nsswitch.conf"), dir.Combine("vpnc-run")];
        return (subnet, launcher);
    }

    private static Task<FakePortal> StartFakeAsync(string subnet) =>
        FakePortal.StartAsync("password", "--ip", subnet + ".2", "--dns", subnet + ".53", "--route", subnet + ".0/24");

    private static Task<DaemonProcess> StartDaemonAsync(TempDirectory dir, FakePortal fake, string[] launcher) =>
        DaemonProcess.StartReadyAsync(dir.Path, $"""
            servercert = "{fake.Pin}"
            [openconnect]
            interface = "gprc{Environment.ProcessId % 100000}"
            [reconnect]
            initial_delay = 60
            max_delay = 60
            """, launcher: launcher);

    private static async Task ConnectAsync(TempDirectory dir, DaemonProcess daemon, FakePortal fake, string subnet)
    {
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal([subnet + ".53"], status.Dns);
        string resolvConf = File.ReadAllText(dir.Combine("resolv.conf"));
        Assert.Contains($"nameserver {subnet}.53", resolvConf);
        Assert.DoesNotContain("nameserver 192.0.2.53", resolvConf);
    }

    private static string Listing(TempDirectory dir) => string.Join(", ", Directory.GetFiles(dir.Combine("vpnc-run")));
}
