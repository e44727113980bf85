using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>The real openconnect, supervised by the daemon, against the fake gateway.</summary>
public sealed class TunnelTests
{
    [Fact]
    public async Task Connected_ReportsWhatTheGatewayGave_AndTrafficCrossesTheTunnelBothWays()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password",
            "--ip", "10.99.7.7", "--dns", "10.99.0.1", "--dns", "10.99.0.2", "--route", "10.20.0.0/16", "--route", "192.168.77.0/24");
        var handler = new TunHandler(dir.Path, TunHandler.IcmpEcho([10, 99, 7, 7], [10, 99, 0, 1], 0x4242));
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path,
            fake.Config() + $"\ntun_handler = \"{handler.ScriptPath}\"\n");

        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal("10.99.7.7", status.Ipv4);
        Assert.Equal(["10.99.0.1", "10.99.0.2"], status.Dns);
        Assert.Equal(["10.20.0.0/16", "192.168.77.0/24"], status.Routes!.Order());
        Assert.NotNull(status.ConnectedSince);
        Assert.True(status.OpenconnectPid > 0);

        // Into the tunnel: the fake gateway receives the handler's packet...
        string packet = await fake.WaitForEventAsync("packet");
        Assert.Contains("src=10.99.7.7", packet);
        Assert.Contains("dst=10.99.0.1", packet);
        // ...and out of it: the handler receives what the gateway sent to the client's address.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(handler.IncomingPath) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        byte[] incoming = File.ReadAllBytes(handler.IncomingPath);
        Assert.Equal(0x45, incoming[0]);
        Assert.Equal(new byte[] { 10, 99, 7, 7 }, incoming[16..20]);

        await fake.WaitForEventAsync("tunnel-connect");
        // A quiet tunnel is kept alive: openconnect sends a keepalive after 10 s of silence and the fake echoes it.
        await fake.WaitForEventAsync("keepalive", timeout: TimeSpan.FromSeconds(40));
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
    }

    [Fact]
    public async Task FiftyConnectsAtOnce_ToTwoPortals_MakeExactlyOneTunnel()
    {
        using var dir = new TempDirectory();
        // Two portals behind one certificate, so that whichever wins the race can connect.
        string pin = SharedCertificate.Write(dir.Combine("portal.pfx"));
        await using FakePortal first = await FakePortal.StartAsync("password", "--cert", dir.Combine("portal.pfx"));
        await using FakePortal second = await FakePortal.StartAsync("password", "--cert", dir.Combine("portal.pfx"));
        string[] portals = [first.Address, second.Address];
        await using DaemonProcess racing = await DaemonProcess.StartReadyAsync(dir.Path, $"""
            servercert = "{pin}"
            [openconnect]
            script_tun = true
            """);

        string gate = dir.Combine("go");
        var runs = new List<Task<ProcessResult>>();
        for (int i = 0; i < 50; i++)
        {
            string portal = portals[i % 2];
            runs.Add(Run.ProgramAsync("/bin/sh", ["-c",
                $"while [ ! -e '{gate}' ]; do sleep 0.005; done; printf 'secret\\n' | exec '{Binaries.Ctl}' --socket '{racing.SocketPath}' connect '{portal}' --user test --passwd-on-stdin"],
                timeout: TimeSpan.FromSeconds(120)));
        }
        var sampling = new CancellationTokenSource();
        int maxTunnels = 0;
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxTunnels = Math.Max(maxTunnels, OpenConnectProcesses.Of(racing.RuntimeDirectory).Length);
                await Task.Delay(10);
            }
        });
        await Task.Delay(300);
        File.WriteAllText(gate, "");
        ProcessResult[] results = await Task.WhenAll(runs);
        await sampling.CancelAsync();
        await sampler;

        VpnStatus status = await racing.StatusAsync();
        string winner = status.Portal!;
        ProcessResult[] refused = [.. results.Where(r => r.ExitCode == 4)];
        ProcessResult[] others = [.. results.Where(r => r.ExitCode != 4)];
        Assert.True(refused.Length == 49, string.Join("\n", others.Select(o => o.ToString())));
        Assert.All(refused, r => Assert.Contains($"already connected to {winner}", r.Stderr));
        Assert.Single(others);
        Assert.True(others[0].ExitCode == 0, others[0].ToString());
        Assert.Equal("Connected", status.State);
        Assert.Equal(1, first.Count("prelogin") + second.Count("prelogin"));
        Assert.True(maxTunnels <= 1, $"{maxTunnels} openconnect processes ran at once");
        Assert.Single(OpenConnectProcesses.Of(racing.RuntimeDirectory));
    }

    [Fact]
    public async Task Disconnect_LogsOutAtTheGateway_AndLeavesNoOpenconnect()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        int pid = (await daemon.StatusAsync()).OpenconnectPid!.Value;

        ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
        Assert.Contains("result=ok", await fake.WaitForEventAsync("logout")); // the gateway knew the session it ended
        Assert.False(Signals.IsAlive(pid));
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);

        ProcessResult again = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Not connected", again.Stdout);
    }

    [Fact]
    public async Task DaemonStop_LogsOutFirst()
    {
        using var dir = new TempDirectory();
        // The gateway takes 2 s to answer the logout: long enough to see who waits for it.
        await using FakePortal fake = await FakePortal.StartAsync("password", "--logout-delay-ms", "2000");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        Assert.Equal(0, (await VpnScenario.ConnectAsync(daemon, fake)).ExitCode);
        Signals.Send(daemon.Pid, Signals.SIGTERM);

        // The logout reaches the gateway while the daemon still runs and its openconnect is still there...
        string logout = await fake.WaitForEventAsync("logout");
        Assert.False(daemon.HasExited, "gpdaemon exited before openconnect logged out:\n" + daemon.Output);
        Assert.NotEmpty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.Contains("result=ok", logout);
        // ...and only then does it all end.
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
    }

    [Fact]
    public async Task OpenconnectKilled_TheDaemonReconnectsOnItsOwn()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        int firstPid = (await daemon.StatusAsync()).OpenconnectPid!.Value;

        await using VpnClient watcher = await daemon.ClientAsync();
        var states = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        bool killed = false;
        await foreach (VpnStatus status in watcher.WatchAsync(cts.Token))
        {
            states.Add(status.State);
            // Never a moment that claims Connected without the process that carries it.
            Assert.False(status.State == "Connected" && status.OpenconnectPid is null, string.Join(",", states));
            if (!killed)
            {
                Signals.Send(firstPid, Signals.SIGKILL);
                killed = true;
            }
            else if (status.State == "Connected" && states.Contains("Reconnecting"))
            {
                Assert.NotEqual(firstPid, status.OpenconnectPid);
                Assert.NotNull(status.OpenconnectPid);
                break;
            }
        }
        Assert.Contains("Reconnecting", states);
        Assert.True(states.IndexOf("Reconnecting") < states.LastIndexOf("Connected"));
        Assert.Single(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.Equal(2, fake.Count("tunnel-connect"));
        // The same session: the gateway cookie was reused, with no second login anywhere.
        Assert.Equal(1, fake.Count("gateway-login"));
        Assert.Equal(1, fake.Count("portal-config"));
    }

    [Fact]
    public async Task TheGatewayRefusingTheTunnel_EndsFailed_SessionRejected()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("tunnel-502");
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        ProcessResult connect = await vpn.ConnectAsync();
        Assert.True(connect.ExitCode == 5, connect + daemon.Output);
        Assert.Contains("run gpctl connect again", connect.Stderr);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal("Failed", status.State);
        Assert.Null(status.OpenconnectPid);
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        // It logged in again once with the password it had, then gave up: no loop.
        Assert.Equal(2, fake.Count("tunnel-refused"));
    }

    [Fact]
    public async Task DaemonKilledWhileConnected_TheNextDaemonEndsTheOrphan_NeverTwoTunnels()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        Assert.Equal(0, (await VpnScenario.ConnectAsync(daemon: first, fake)).ExitCode);
        int orphan = (await first.StatusAsync()).OpenconnectPid!.Value;

        var sampling = new CancellationTokenSource();
        int maxTunnels = 0;
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxTunnels = Math.Max(maxTunnels, OpenConnectProcesses.Of(first.RuntimeDirectory).Length);
                await Task.Delay(5);
            }
        });
        await first.KillAsync();
        await first.DisposeAsync();
        await using DaemonProcess second = await DaemonProcess.StartReadyAsync(dir.Path);
        VpnStatus status = await second.StatusAsync();
        Assert.Equal("Disconnected", status.State);
        Assert.False(Signals.IsAlive(orphan));

        // A fresh connect now makes one tunnel, not two.
        Assert.Equal(0, (await VpnScenario.ConnectAsync(second, fake)).ExitCode);
        await sampling.CancelAsync();
        await sampler;
        Assert.True(maxTunnels <= 1, $"{maxTunnels} openconnect processes ran at once");
        Assert.Single(OpenConnectProcesses.Of(second.RuntimeDirectory));
    }

    [Fact]
    public async Task TheLockFileIsNotInheritedByOpenconnect()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        (TempDirectory dir, _, DaemonProcess daemon) = vpn;
        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        int pid = (await daemon.StatusAsync()).OpenconnectPid!.Value;
        string[] targets = [.. Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")];
        Assert.NotEmpty(targets);
        Assert.DoesNotContain(daemon.PidFile, targets);
        Assert.DoesNotContain(targets, t => t.StartsWith(dir.Path, StringComparison.Ordinal));
        // The daemon itself does hold it.
        Assert.Contains(daemon.PidFile, Directory.EnumerateFileSystemEntries($"/proc/{daemon.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget));
    }

    [Fact]
    public async Task SecretsNeverAppearInAnyCommandLineOrLog()
    {
        const string password = "Pw-7q3x-NotInArgv";
        const string otp = "918273";
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "portal-mfa",
            PortalOptions = ["--password", password, "--otp", otp],
            Config = _ => "log_level = \"debug\"",
        });
        (TempDirectory dir, FakePortal fake, DaemonProcess daemon) = vpn;
        Task<ProcessResult> connect = Run.GpctlWithInputAsync(daemon.SocketPath, $"{password}\n{otp}\n",
            "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        var seen = new List<string>();
        while (!connect.IsCompleted)
        {
            seen.AddRange(OpenConnectProcesses.AllCommandLines().Where(p => p.Pid != fake.Pid).Select(p => p.CommandLine));
            await Task.Delay(20);
        }
        Assert.Equal(0, (await connect).ExitCode);
        seen.AddRange(OpenConnectProcesses.AllCommandLines().Where(p => p.Pid != fake.Pid).Select(p => p.CommandLine));

        // The portal's cookie, as the daemon saved it (0600 in a 0700 directory) for the next login.
        string session = Directory.EnumerateFiles(dir.Combine("state", "sessions")).Single();
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(session));
        Assert.Equal((UnixFileMode)0x1c0, File.GetUnixFileMode(dir.Combine("state", "sessions")));
        string sessionText = File.ReadAllText(session);
        string portalCookie = System.Text.RegularExpressions.Regex.Match(sessionText, "\"portal_user_auth_cookie\":\\s*\"([^\"]+)\"").Groups[1].Value;
        Assert.True(portalCookie.Length > 0, sessionText);
        // The gateway's session cookie dies at logout: it is not kept on disk at all.
        Assert.DoesNotContain("authcookie=", sessionText);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        await daemon.TerminateAsync();
        string[] secrets = [password, otp, portalCookie];
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(seen, commandLine => commandLine.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, daemon.Output);
            foreach (string file in Directory.EnumerateFiles(dir.Combine("run"), "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(secret, File.ReadAllText(file));
            }
        }
        Assert.Contains("openconnect", daemon.Output); // the log did record the run
    }
}
