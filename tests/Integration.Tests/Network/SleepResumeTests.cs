using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Network;

/// <summary>
/// Suspend and resume with real parts: a private system bus (dbus-daemon) on which the test plays logind, the daemon
/// following it through DBUS_SYSTEM_BUS_ADDRESS, the real openconnect against the fake gateway.
/// </summary>
public sealed class SleepResumeTests
{
    [Fact]
    public async Task Resume_ReconnectsTheSameOpenconnect_WithTheSameCookie()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(2));
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(cts.Token);
        using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, cts.Token);
        await using VpnScenario scenario = await StartAsync(bus);
        (_, FakePortal fake, DaemonProcess daemon) = scenario;
        await ConnectedAsync(scenario);
        VpnStatus before = await daemon.StatusAsync();
        Assert.Equal("Connected", before.State);
        await using StatusLog log = await StatusLog.StartAsync(daemon);

        await logind.PrepareForSleepAsync(true, cts.Token);
        await logind.PrepareForSleepAsync(false, cts.Token);

        // The old tunnel closed and a new one opened on the same gateway session: no second login.
        await fake.WaitForEventAsync("tunnel-closed");
        await fake.WaitForEventAsync("tunnel-connect", occurrence: 2);
        VpnStatus reconnecting = await log.WaitForAsync(s => s.State == "Reconnecting", "Reconnecting after the resume");
        Assert.Equal("resumed from sleep", reconnecting.Message);
        int from = log.Seen.ToList().IndexOf(reconnecting);
        await log.WaitForAsync(s => s.State == "Connected", "Connected again", from);
        Assert.Equal(1, fake.Count("gateway-login"));
        VpnStatus after = await daemon.StatusAsync();
        Assert.Equal("Connected", after.State);
        Assert.Equal(before.OpenconnectPid, after.OpenconnectPid);
        Assert.Equal([before.OpenconnectPid!.Value], OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.DoesNotContain(log.Seen, s => s.State is "Failed" or "Disconnected" or "Authenticating");
    }

    [Fact]
    public async Task PrepareForSleep_FromAConnectionThatIsNotLogind_ChangesNothing()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(2));
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(cts.Token);
        using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, cts.Token);
        using StandInLoginManager impostor = await StandInLoginManager.ConnectAsync(bus.Address, ownName: false, cts.Token);
        await using VpnScenario scenario = await StartAsync(bus);
        (_, FakePortal fake, DaemonProcess daemon) = scenario;
        await ConnectedAsync(scenario);
        await using StatusLog log = await StatusLog.StartAsync(daemon);

        await impostor.PrepareForSleepAsync(true, cts.Token);
        await impostor.PrepareForSleepAsync(false, cts.Token);
        // The bus routed the impostor's signals before logind's own PrepareForSleep(true) (each call ends with a round
        // trip to the bus); once the daemon has seen logind's, it has had every chance to act on the impostor's.
        await logind.PrepareForSleepAsync(true, cts.Token);
        await Poll.UntilAsync(() => Task.FromResult(daemon.Output), o => o.Contains("logind: GoingToSleep"),
            "the daemon to see logind's own signal", timeout: TimeSpan.FromSeconds(30));

        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
        Assert.DoesNotContain(log.Seen, s => s.State != "Connected");
        Assert.Equal(1, fake.Count("tunnel-connect"));
        Assert.Equal(0, fake.Count("tunnel-closed"));
    }

    private static Task<VpnScenario> StartAsync(PrivateSystemBus bus) => VpnScenario.StartAsync(new VpnScenarioOptions
    {
        Config = _ => "log_level = \"debug\"",
        Environment = new Dictionary<string, string?> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address },
        DirectoryPrefix = "gpd-sleep",
    });

    /// <summary>Once the daemon follows the test's bus, `gpctl connect` succeeds and the fake sees the tunnel.</summary>
    private static async Task ConnectedAsync(VpnScenario scenario)
    {
        await WaitFollowingAsync(scenario.Daemon);
        ProcessResult connect = await scenario.ConnectAsync();
        Assert.True(connect.ExitCode == 0, connect + scenario.Daemon.Output);
        await scenario.Fake.WaitForEventAsync("tunnel-connect");
    }

    /// <summary>The daemon listens for PrepareForSleep and knows who logind is (its debug line says so).</summary>
    private static Task WaitFollowingAsync(DaemonProcess daemon) =>
        Poll.UntilAsync(() => Task.FromResult(daemon.Output), o => o.Contains("Following suspend and resume on the system bus"),
            "the daemon to follow the test's system bus", timeout: TimeSpan.FromSeconds(30));
}
