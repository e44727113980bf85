using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>The host-information report, sent by the daemon itself, against a gateway that demands one.</summary>
public sealed class HipReportTests
{
    [Fact]
    public async Task AGatewayThatDemandsAReport_GetsOneFromTheDaemon_AndNoCommandLineEverHoldsTheCookie()
    {
        using var dir = new TempDirectory();
        string secretsFile = dir.Combine("secrets");
        await using FakePortal fake = await FakePortal.StartAsync("password", "--hip-required", "--secrets-file", secretsFile);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config("log_level = \"debug\""));

        Task<ProcessResult> connect = Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n",
            "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        var seen = new List<string>();
        while (!connect.IsCompleted)
        {
            seen.AddRange(OpenConnectProcesses.AllCommandLines().Where(p => p.Pid != fake.Pid).Select(p => p.CommandLine));
            await Task.Delay(20);
        }
        ProcessResult result = await connect;
        Assert.True(result.ExitCode == 0, result + daemon.Output);
        seen.AddRange(OpenConnectProcesses.AllCommandLines().Where(p => p.Pid != fake.Pid).Select(p => p.CommandLine));

        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal("sent", status.HipReport);
        ProcessResult shown = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Contains("HIP report:", shown.Stdout);

        // Connected waits for the report: the gateway had a valid one for the tunnel address by the time gpctl returned.
        // The daemon's check and openconnect's own go out side by side (in either order); one of them was told yes.
        string report = Assert.Single(fake.EventsNamed("hipreport"));
        Assert.Contains("result=ok", report);
        Assert.Contains($"client-ip={fake.TunnelAddress}", report);
        await fake.WaitForEventAsync("hipreportcheck", 2);
        await fake.WaitForEventAsync("tunnel-connect");
        IReadOnlyList<string> checks = fake.EventsNamed("hipreportcheck");
        Assert.Contains(checks, check => check.Contains("hip-report-needed=yes", StringComparison.Ordinal));
        Assert.Equal(1, fake.Count("hipreport"));
        // The report's md5 is the one both checks carried (what a gateway files the report under).
        string checkMd5 = Property(checks[0], "md5");
        Assert.Matches("^[0-9a-f]{32}$", checkMd5);
        Assert.Equal(checkMd5, Property(report, "md5"));
        Assert.Equal(checkMd5, Property(checks[1], "md5"));

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        await daemon.TerminateAsync();
        string[] secrets = [.. File.ReadAllLines(secretsFile).Select(line => line.Split(' ')[1])];
        Assert.NotEmpty(secrets);
        Assert.NotEmpty(seen);
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(seen, commandLine => commandLine.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, daemon.Output);
        }
    }

    [Fact]
    public async Task WithHipReportOff_NoReportIsSent_AndTheTunnelStillComesUp()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "password",
            PortalOptions = ["--hip-required"],
            Config = _ => "\n[client]\nhip_report = false\n",
        });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;

        ProcessResult result = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n",
            "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(result.ExitCode == 0, result + daemon.Output);
        Assert.Equal("off", (await daemon.StatusAsync()).HipReport);
        await fake.WaitForEventAsync("tunnel-connect");
        // Only openconnect's own check, which is told a report is needed (and goes on without one).
        Assert.Contains("hip-report-needed=yes", Assert.Single(fake.EventsNamed("hipreportcheck")));
        Assert.Equal(0, fake.Count("hipreport"));
    }

    [Fact]
    public async Task DisconnectWhileTheReportGoesOut_AbandonsIt_AndEndsOpenconnect()
    {
        // The report goes out while openconnect connects. Every reply of this gateway is slow, so the disconnect lands
        // while both are on their way.
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password", "--hip-required", "--delay-ms", "1000");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());

        Task<ProcessResult> connect = Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n",
            "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        int[] started = await Poll.UntilAsync(() => Task.FromResult(OpenConnectProcesses.Of(daemon.RuntimeDirectory)),
            pids => pids.Length > 0 || connect.IsCompleted, "openconnect to start", pids => string.Join(",", pids));
        int openconnect = Assert.Single(started);
        Assert.Equal(0, fake.Count("hipreport"));

        ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect + daemon.Output);
        ProcessResult connected = await connect;

        Assert.NotEqual(0, connected.ExitCode);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal("Disconnected", status.State);
        Assert.Null(status.HipReport);
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.False(Directory.Exists($"/proc/{openconnect}"));
        Assert.Equal(0, fake.Count("hipreport"));
        Assert.DoesNotContain("HIP report for gateway", daemon.Output);
    }

    private static string Property(string eventLine, string name) =>
        eventLine.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
