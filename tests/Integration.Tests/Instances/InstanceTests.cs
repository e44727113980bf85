using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Instances;

/// <summary>
/// Several VPNs at once: named instances (gpdaemon --instance NAME, as gpdaemon@NAME.service runs it) as real daemon
/// processes beside a default one, each with its own real tun device (gp-NAME) to its own fake portal. The
/// vpnc-script is a recording stand-in that configures nothing, so no host route or DNS changes.
/// </summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class InstanceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _script;
    private readonly string _id = (Environment.ProcessId % 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public InstanceTests()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/dev/net/tun"), "needs root and /dev/net/tun, as CI has");
        _script = _dir.Combine("vpnc-script");
        File.WriteAllText(_script, $"#!/bin/sh\necho \"$reason $TUNDEV\" >> '{_dir.Combine("calls")}'\nexit 0\n");
        File.SetUnixFileMode(_script, (UnixFileMode)0x1ed);
    }

    private string DefaultSocket => _dir.Combine("run", ControlDefaults.SocketFileName);

    private Task<DaemonProcess> StartAsync(string? instance, FakePortal fake, string extra = "") =>
        DaemonProcess.StartReadyAsync(_dir.Path, $"""
            servercert = "{fake.Pin}"
            [openconnect]
            script = "{_script}"
            {extra}
            """, instance: instance);

    private Task<ProcessResult> ConnectAsync(string? instance, FakePortal fake) => Run.GpctlWithInputAsync(DefaultSocket, "secret\n",
        [.. instance is null ? [] : (string[])["--instance", instance], "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin"]);

    private static int Tunnels(DaemonProcess daemon) => OpenConnectProcesses.Of(Path.Combine(daemon.RuntimeDirectory, "tunnel") + "/").Length;

    [Fact]
    public async Task TwoInstances_ConnectAtOnce_WithTheirOwnInterfaces_AndOneDisconnectsWithoutTouchingTheOther()
    {
        string x = $"x{_id}", y = $"y{_id}";
        await using FakePortal portalX = await FakePortal.StartAsync("password");
        await using FakePortal portalY = await FakePortal.StartAsync("password", "--ip", "10.98.0.2");
        await using DaemonProcess main = await StartAsync(null, portalX);
        await using DaemonProcess daemonX = await StartAsync(x, portalX);
        await using DaemonProcess daemonY = await StartAsync(y, portalY);
        Assert.Equal(_dir.Combine("run", x), daemonX.RuntimeDirectory);

        ProcessResult[] connects = await Task.WhenAll(ConnectAsync(x, portalX), ConnectAsync(y, portalY));
        Assert.True(connects.All(c => c.ExitCode == 0), string.Join("\n", connects.Select(c => c.ToString())) + daemonX.Output + daemonY.Output);
        VpnStatus statusX = await daemonX.StatusAsync(), statusY = await daemonY.StatusAsync();
        Assert.Equal(($"gp-{x}", "10.99.0.2"), (statusX.Interface, statusX.Ipv4));
        Assert.Equal(($"gp-{y}", "10.98.0.2"), (statusY.Interface, statusY.Ipv4));
        Assert.True(Directory.Exists($"/sys/class/net/gp-{x}") && Directory.Exists($"/sys/class/net/gp-{y}"));
        Assert.Equal(VpnState.Disconnected, (await main.StatusAsync()).StateValue);

        ProcessResult all = await Run.GpctlAsync(DefaultSocket, "status", "--all");
        Assert.True(all.ExitCode == 0, all.ToString());
        string[] lines = all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("INSTANCE", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^default\s+Disconnected\s", lines[1]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{x}\s+Connected\s+gp-{x}\s+{System.Text.RegularExpressions.Regex.Escape(portalX.Address)}\s+10\.99\.0\.2$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{y}\s+Connected\s+gp-{y}\s"));
        ProcessResult json = await Run.GpctlAsync(DefaultSocket, "status", "--all", "--json");
        Assert.Contains($"{{\"instance\":\"{x}\",\"status\":{{\"state\":\"Connected\"", json.Stdout, StringComparison.Ordinal);

        // -i and $GPDAEMON_INSTANCE reach the same daemon as --instance.
        ProcessResult viaShort = await Run.GpctlAsync(DefaultSocket, "-i", y, "status");
        Assert.True(viaShort.ExitCode == 0 && viaShort.Stdout.Contains($"gp-{y}", StringComparison.Ordinal), viaShort.ToString());
        ProcessResult viaEnvironment = await Run.ProgramAsync(Binaries.Ctl, ["--socket", DefaultSocket, "status"],
            environment: new Dictionary<string, string?> { [InstanceName.EnvironmentVariable] = x });
        Assert.True(viaEnvironment.ExitCode == 0 && viaEnvironment.Stdout.Contains($"gp-{x}", StringComparison.Ordinal), viaEnvironment.ToString());

        int openconnectY = statusY.OpenconnectPid!.Value;
        ProcessResult disconnect = await Run.GpctlAsync(DefaultSocket, "--instance", x, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
        Assert.Equal(VpnState.Disconnected, (await daemonX.StatusAsync()).StateValue);
        Assert.False(Directory.Exists($"/sys/class/net/gp-{x}"));
        await portalX.WaitForEventAsync("logout");
        statusY = await daemonY.StatusAsync();
        Assert.Equal((VpnState.Connected, openconnectY), (statusY.StateValue, statusY.OpenconnectPid));
        Assert.True(Directory.Exists($"/sys/class/net/gp-{y}"));
    }

    [Fact]
    public async Task TheSamePortalAndUser_OrTheSameInterface_IsRefusedNamingTheInstanceThatHoldsIt()
    {
        string a = $"a{_id}", b = $"b{_id}", c = $"c{_id}";
        await using FakePortal shared = await FakePortal.StartAsync("password");
        await using FakePortal other = await FakePortal.StartAsync("password", "--ip", "10.97.0.2");
        await using DaemonProcess daemonA = await StartAsync(a, shared);
        await using DaemonProcess daemonB = await StartAsync(b, shared);
        await using DaemonProcess daemonC = await StartAsync(c, other, $"interface = \"gp-{a}\"");

        Assert.Equal(0, (await ConnectAsync(a, shared)).ExitCode);

        ProcessResult samePortal = await ConnectAsync(b, shared);
        Assert.Equal(1, samePortal.ExitCode);
        Assert.Contains($"portal {shared.Address} as {FakePortal.User} is already in use by instance '{a}' (gpdaemon@{a}.service)", samePortal.Stderr, StringComparison.Ordinal);
        Assert.Equal(VpnState.Failed, (await daemonB.StatusAsync()).StateValue);

        ProcessResult sameInterface = await ConnectAsync(c, other);
        Assert.Equal(1, sameInterface.ExitCode);
        Assert.Contains($"interface gp-{a} is already in use by instance '{a}'", sameInterface.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, other.Count("portal-config"));
        Assert.Single(OpenConnectProcesses.Of(_dir.Combine("run") + "/"));
        Assert.Equal(VpnState.Connected, (await daemonA.StatusAsync()).StateValue);

        // Once the holder lets go, the same portal and user are free for another instance.
        Assert.Equal(0, (await Run.GpctlAsync(DefaultSocket, "--instance", a, "disconnect")).ExitCode);
        ProcessResult after = await ConnectAsync(b, shared);
        Assert.True(after.ExitCode == 0, after + daemonB.Output);
    }

    [Fact]
    public async Task RacingConnects_ExactlyOneTunnelPerInstance_AndOneInstanceForAPortalAndUser()
    {
        string p = $"p{_id}", q = $"q{_id}", r = $"r{_id}";
        await using FakePortal portalP = await FakePortal.StartAsync("password");
        await using FakePortal portalQ = await FakePortal.StartAsync("password", "--ip", "10.96.0.2");
        await using DaemonProcess daemonP = await StartAsync(p, portalP);
        await using DaemonProcess daemonQ = await StartAsync(q, portalQ);
        await using DaemonProcess daemonR = await StartAsync(r, portalP);

        // Five connects at once to each of three instances; P and R race for the same portal and user.
        ProcessResult[] results = await Task.WhenAll(Enumerable.Range(0, 5).SelectMany(_ => new[]
        {
            ConnectAsync(p, portalP), ConnectAsync(q, portalQ), ConnectAsync(r, portalP),
        }));
        string all = string.Join("\n", results.Select(x => x.ToString()));
        VpnStatus statusQ = await daemonQ.WaitForStatusAsync(s => s.StateValue == VpnState.Connected);
        Assert.Equal($"gp-{q}", statusQ.Interface);
        Assert.Equal(1, Tunnels(daemonQ));

        VpnStatus statusP = await daemonP.StatusAsync(), statusR = await daemonR.StatusAsync();
        Assert.True((statusP.StateValue == VpnState.Connected) ^ (statusR.StateValue == VpnState.Connected), $"P {statusP}\nR {statusR}\n{all}");
        (DaemonProcess winner, string winnerName, DaemonProcess loser) = statusP.StateValue == VpnState.Connected ? (daemonP, p, daemonR) : (daemonR, r, daemonP);
        Assert.Equal(1, Tunnels(winner));
        Assert.Equal(0, Tunnels(loser));
        Assert.Contains(results, x => x.ExitCode == 1 && x.Stderr.Contains($"already in use by instance '{winnerName}'", StringComparison.Ordinal));
        // Every other call was told about the connection its own instance already had, or refused: none made a tunnel.
        Assert.Equal(2, results.Count(x => x.ExitCode == 0));
        Assert.All(results.Where(x => x.ExitCode != 0), x => Assert.True(x.ExitCode is 1 or 4, x.ToString()));
    }

    [Fact]
    public async Task AnInvalidInstanceName_IsAUsageError()
    {
        foreach (string name in new[] { "../etc", "..", "a/b", ".hidden", new string('n', 65), "default" })
        {
            ProcessResult ctl = await Run.GpctlAsync(DefaultSocket, "--instance", name, "status");
            Assert.True(ctl.ExitCode == 2, name + ": " + ctl);
            ProcessResult daemon = await Run.ProgramAsync(Binaries.Daemon, ["--instance", name, "--runtime-dir", _dir.Combine("never")]);
            Assert.True(daemon.ExitCode == 2 && daemon.Stderr.Contains("--instance", StringComparison.Ordinal), name + ": " + daemon);
        }
        Assert.False(Directory.Exists(_dir.Combine("never")));
    }

    [Fact]
    public async Task AnInstanceThatIsNotRunning_IsNamedWithItsUnit()
    {
        ProcessResult ctl = await Run.GpctlAsync(DefaultSocket, "-i", $"n{_id}", "status");
        Assert.Equal(3, ctl.ExitCode);
        Assert.Contains(_dir.Combine("run", $"n{_id}", "gpdaemon.sock"), ctl.Stderr, StringComparison.Ordinal);
        Assert.Contains($"sudo systemctl start gpdaemon@n{_id}", ctl.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
