using System.Globalization;
using System.Text.RegularExpressions;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// gpdaemon.service as installed by `make install`, started and stopped with systemctl under a real systemd, with
/// a real tunnel to the fake portal. Each test starts from a stopped service.
/// </summary>
public sealed partial class ServiceTests(ServiceContainerFixture fixture) : IClassFixture<ServiceContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    private SystemdContainer Container => fixture.Container;

    private FakePortal Fake => fixture.Fake;

    [Fact]
    public async Task InstalledUnit_PassesSystemdAnalyzeVerify()
    {
        ProcessResult verify = await Container.ExecAsync("systemd-analyze", "verify", Unit);

        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, verify.ToString());
    }

    [Fact]
    public async Task InstalledUnit_KeepsItsSecurityExposureLow()
    {
        ProcessResult security = await Container.ExecAsync("systemd-analyze", "security", "--no-pager", Unit);

        // "→ Overall exposure level for gpdaemon.service: 2.0 OK": 0 is fully locked down, 10 is no sandbox at all.
        // packaging/systemd/SECURITY.md records the full table and why each open item stays open.
        Match overall = ExposureLine().Match(security.Stdout);
        Assert.True(security.ExitCode == 0 && overall.Success, security.ToString());
        double exposure = double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 2.0, $"exposure {exposure} (the hardening regressed?):\n{security.Stdout}");
    }

    [Fact]
    public async Task StartedService_IsActiveAndDisconnected_AnswersGpctl_AndLogsStructuredEntriesToTheJournal()
    {
        await ResetAsync();
        try
        {
            await StartAsync();

            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
            await WaitForStatusTextAsync("Disconnected");

            ProcessResult asRoot = await Container.ExecAsync(StagedInstall.Ctl, "status");
            Assert.True(asRoot.ExitCode == 1 && asRoot.Stdout.Contains("Disconnected", StringComparison.Ordinal), asRoot.ToString());
            // Any local user may ask for the status: the socket stays reachable under the unit's UMask=0077.
            ProcessResult asNobody = await Container.ExecAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                StagedInstall.Ctl, "status");
            Assert.True(asNobody.ExitCode == 1 && asNobody.Stdout.Contains("Disconnected", StringComparison.Ordinal), asNobody.ToString());

            // The start-up entry came through journald's native protocol (not stdout) with its fields intact.
            string mainPid = await Container.ShowAsync(Unit, "MainPID");
            IReadOnlyDictionary<string, string> started = await Poll.UntilAsync(
                async () => (await Container.JournalAsync(Unit, "_PID=" + mainPid)).FirstOrDefault(e => e.GetValueOrDefault("EVENT_ID") == "1"),
                entry => entry is not null, "the start-up entry (EVENT_ID=1) in the journal", entry => "none")
                ?? throw new InvalidOperationException();
            Assert.Equal("gpdaemon", started["SYSLOG_IDENTIFIER"]);
            Assert.Equal("journal", started["_TRANSPORT"]);
            Assert.Equal("6", started["PRIORITY"]);
            Assert.Equal(Unit, started["_SYSTEMD_UNIT"]);
            Assert.Equal("/run/gpdaemon/gpdaemon.sock", started["SOCKET_PATH"]);
            Assert.Equal("/etc/gpdaemon/gpdaemon.toml", started["CONFIG_PATH"]);
            Assert.Contains("starting", started["MESSAGE"], StringComparison.Ordinal);
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
    }

    [Fact]
    public async Task ConnectThroughTheService_BringsUpTheTunnel_AndASecondConnectIsRefused()
    {
        await ResetAsync();
        try
        {
            await StartAsync();

            ProcessResult connect = await ConnectAsync();
            Assert.True(connect.ExitCode == 0, connect + await Container.DescribeAsync(Unit));
            string statusText = await WaitForStatusTextAsync($"Connected to {Fake.Address}");
            Assert.Contains(Fake.TunnelAddress, statusText, StringComparison.Ordinal);
            ProcessResult status = await Container.SystemctlAsync("status", Unit);
            Assert.Contains($"Status: \"Connected to {Fake.Address}", status.Stdout, StringComparison.Ordinal);

            // The sandbox still lets openconnect make the tun device and the vpnc-script configure it and DNS.
            ProcessResult address = await Container.ExecAsync("ip", "-brief", "address", "show", "dev", fixture.Interface);
            Assert.True(address.ExitCode == 0 && address.Stdout.Contains(Fake.TunnelAddress + "/32", StringComparison.Ordinal), address.ToString());
            ProcessResult resolvConf = await Container.ExecAsync("cat", "/etc/resolv.conf");
            Assert.Contains("nameserver 10.99.0.53", resolvConf.Stdout, StringComparison.Ordinal);
            // And Debian's hipreport.sh writes the report the gateway asked for (its host-id is a fixed one).
            ProcessResult gpctlStatus = await Container.ExecAsync(StagedInstall.Ctl, "status");
            Assert.Matches(@"HIP report:\s+sent", gpctlStatus.ToString());
            Assert.Contains("host-id=deadbeef-dead-beef-dead-beefdeadbeef", Fake.EventsNamed("hipreport")[^1], StringComparison.Ordinal);

            ProcessResult second = await ConnectAsync();
            Assert.Equal(4, second.ExitCode);
            Assert.Contains($"already connected to {Fake.Address}", second.Output, StringComparison.Ordinal);
            Assert.Single(await Container.ProcessesAsync("openconnect"));
            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
    }

    [Fact]
    public async Task ReloadingTheService_KeepsTheDaemonAndTheTunnel()
    {
        await ResetAsync();
        try
        {
            await StartAsync();
            ProcessResult connect = await ConnectAsync();
            Assert.True(connect.ExitCode == 0, connect + await Container.DescribeAsync(Unit));
            string mainPid = await Container.ShowAsync(Unit, "MainPID");
            int openconnect = Assert.Single(await Container.ProcessesAsync("openconnect"));

            ProcessResult reload = await Container.SystemctlAsync("reload", Unit);

            Assert.True(reload.ExitCode == 0, reload + await Container.DescribeAsync(Unit));
            Assert.Equal(mainPid, await Container.ShowAsync(Unit, "MainPID"));
            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
            ProcessResult status = await Container.ExecAsync(StagedInstall.Ctl, "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal([openconnect], await Container.ProcessesAsync("openconnect"));
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
    }

    [Fact]
    public async Task StoppingTheService_LogsOutOfTheGateway_AndLeavesNoOpenconnect()
    {
        await ResetAsync();
        await StartAsync();
        ProcessResult connect = await ConnectAsync();
        Assert.True(connect.ExitCode == 0, connect + await Container.DescribeAsync(Unit));
        string invocation = await Container.ShowAsync(Unit, "InvocationID");
        int logoutsBefore = Fake.EventsNamed("logout").Count;

        ProcessResult stop = await Container.SystemctlAsync("stop", Unit);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        // openconnect saw the (slow) logout through: only the daemon signalled it, once (KillMode=mixed).
        IReadOnlyList<IReadOnlyDictionary<string, string>> journal = await Container.JournalAsync(Unit, "_SYSTEMD_INVOCATION_ID=" + invocation);
        Assert.True(journal.Any(e => e.GetValueOrDefault("MESSAGE", "").Contains("Logout successful.", StringComparison.Ordinal)),
            "no \"Logout successful.\" from openconnect:\n" + string.Join('\n', journal.Select(e => e.GetValueOrDefault("MESSAGE"))));
        string logout = await Fake.WaitForEventAsync("logout", logoutsBefore + 1);
        Assert.Contains("result=ok", logout, StringComparison.Ordinal);
        Assert.Empty(await Container.ProcessesAsync("openconnect"));
        Assert.Equal("inactive", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
        // The vpnc-script's disconnect ran too: the device is gone and resolv.conf is back.
        ProcessResult link = await Container.ExecAsync("ip", "link", "show", "dev", fixture.Interface);
        Assert.NotEqual(0, link.ExitCode);
        ProcessResult resolvConf = await Container.ExecAsync("cat", "/etc/resolv.conf");
        Assert.DoesNotContain("nameserver 10.99.0.53", resolvConf.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptTunThroughTheService_KeepsThePacketHandlerRunning_AndStopsCleanly()
    {
        await ResetAsync();
        fixture.UseScriptTun();
        try
        {
            await StartAsync();

            ProcessResult connect = await ConnectAsync();
            Assert.True(connect.ExitCode == 0, connect + await Container.DescribeAsync(Unit));
            await WaitForStatusTextAsync($"Connected to {Fake.Address}");
            int openconnect = Assert.Single(await Container.ProcessesAsync("openconnect"));
            // The wrapper ends up as `cat` draining $VPNFD, openconnect's direct child (exec all the way, through
            // setpriv --pdeathsig): without it openconnect fails on the first packet the gateway sends.
            await Poll.UntilAsync(Container.ProcessTableAsync, table => table.Any(p => p.ParentPid == openconnect && p.Command == "cat"),
                "the --script-tun packet handler to run under openconnect", table => string.Join('\n', table));

            int logoutsBefore = Fake.EventsNamed("logout").Count;
            ProcessResult stop = await Container.SystemctlAsync("stop", Unit);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Contains("result=ok", await Fake.WaitForEventAsync("logout", logoutsBefore + 1), StringComparison.Ordinal);
            Assert.DoesNotContain(await Container.ProcessTableAsync(), p => p.Command is "openconnect" or "cat");
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
            fixture.UseTunDevice();
        }
    }

    [Fact]
    public async Task StartingGpdaemonByHandWhileTheServiceRuns_IsRefusedWithExitCode3()
    {
        await ResetAsync();
        try
        {
            await StartAsync();
            string mainPid = await Container.ShowAsync(Unit, "MainPID");

            ProcessResult byHand = await Container.ExecAsync(StagedInstall.Daemon);

            Assert.Equal(3, byHand.ExitCode);
            Assert.Contains($"already running (pid {mainPid}", byHand.Stderr, StringComparison.Ordinal);
            Assert.Equal(mainPid, await Container.ShowAsync(Unit, "MainPID"));
            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
    }

    [Fact]
    public async Task AnUnprivilegedUserTryingToLockTheRuntimeDirectory_CannotKeepTheServiceFromStartingOrRestarting()
    {
        await ResetAsync();
        // As nobody, in a tight loop: flock the runtime directory and the pid file the moment they exist, and hold on.
        const string Attacker = "gpdtest-lock-attacker";
        ProcessResult attack = await Container.ExecAsync("systemd-run", $"--unit={Attacker}", "--property=User=nobody", "--quiet", "/bin/sh", "-c",
            "while :; do for p in /run/gpdaemon /run/gpdaemon/gpdaemon.pid /run/gpdaemon/tunnel; do flock -x -n $p sleep 600 2>/dev/null & done; sleep 0.005; done");
        Assert.True(attack.ExitCode == 0, attack.ToString());
        try
        {
            await StartAsync();
            string firstPid = await Container.ShowAsync(Unit, "MainPID");

            // A restart by hand, and one after a crash (Restart=on-failure), while the loop keeps trying.
            ProcessResult restart = await Container.SystemctlAsync("restart", Unit);
            Assert.True(restart.ExitCode == 0, restart + await Container.DescribeAsync(Unit));
            string secondPid = await Container.ShowAsync(Unit, "MainPID");
            Assert.NotEqual(firstPid, secondPid);
            await Container.SystemctlAsync("kill", "--signal=SIGKILL", Unit);
            string thirdPid = await Poll.UntilAsync(async () => (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim() == "active"
                    ? await Container.ShowAsync(Unit, "MainPID") : "0",
                pid => pid != "0" && pid != secondPid, "the service to come back after SIGKILL", timeout: TimeSpan.FromSeconds(60));

            ProcessResult status = await Container.ExecAsync(StagedInstall.Ctl, "status");
            Assert.True(status.ExitCode == 1 && status.Stdout.Contains("Disconnected", StringComparison.Ordinal), status + await Container.DescribeAsync(Unit));
            Assert.Equal(thirdPid, await Container.ShowAsync(Unit, "MainPID"));
            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Attacker)).Stdout.Trim());
            Assert.Equal("711 root", (await Container.ExecAsync("stat", "-c", "%a %U", "/run/gpdaemon")).Stdout.Trim());
            // Nothing the attacker started holds a lock on anything of the daemon's.
            ProcessResult locks = await Container.ExecAsync("sh", "-c", "pgrep -u nobody -fx 'sleep 600' || true");
            Assert.True(locks.Stdout.Trim().Length == 0, "an unprivileged flock got a lock: " + locks.Stdout);
        }
        finally
        {
            await Container.SystemctlAsync("stop", Attacker);
            await Container.SystemctlAsync("stop", Unit);
            await Container.SystemctlAsync("reset-failed", Unit);
        }
    }

    private Task ResetAsync() => ServiceUnit.ResetAsync(Container);

    private Task StartAsync() => ServiceUnit.StartAsync(Container);

    private Task<ProcessResult> ConnectAsync() => ServiceUnit.ConnectAsync(Container, Fake);

    private Task<string> WaitForStatusTextAsync(string prefix) => ServiceUnit.WaitForStatusTextAsync(Container, prefix);

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex ExposureLine();
}
