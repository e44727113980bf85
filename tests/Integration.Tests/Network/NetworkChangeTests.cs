using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Network;

/// <summary>
/// Network changes with real parts: the daemon and openconnect in a network namespace of the test's own, the fake
/// portal in another one behind the client's default route. The test moves, removes and restores that route, or makes
/// the link drop traffic silently, and watches the daemon follow.
/// </summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class NetworkChangeTests
{
    [Fact]
    public async Task NewRoute_Reconnects_NoRoute_Waits_RouteBack_ConnectsAgain()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(3));
        await using IsolatedNetwork network = await IsolatedNetwork.StartAsync("", cts.Token, "log_level = \"debug\"");
        (FakePortal fake, DaemonProcess daemon) = (network.Fake, network.Daemon);
        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        await fake.WaitForEventAsync("tunnel-connect");
        int pid = (await daemon.StatusAsync()).OpenconnectPid!.Value;
        await using StatusLog log = await StatusLog.StartAsync(daemon);

        // Another next hop to the gateway: one reconnect of the same openconnect, saying why.
        await network.Client.IpAsync(cts.Token, "route", "replace", "default", "via", IsolatedNetwork.OtherRouter);
        VpnStatus moved = await log.WaitForAsync(s => s.State == "Reconnecting", "Reconnecting after the new route");
        Assert.Contains("via " + IsolatedNetwork.OtherRouter, moved.Message);
        await fake.WaitForEventAsync("tunnel-connect", occurrence: 2);
        await log.WaitForAsync(s => s.State == "Connected", "Connected through the new route", log.Seen.ToList().IndexOf(moved));

        // No route at all: waiting for the network, and no attempt while it lasts.
        int seen = log.Seen.Count;
        await network.Client.IpAsync(cts.Token, "route", "del", "default");
        await log.WaitForAsync(s => s is { State: "Reconnecting", Message: "waiting for the network" }, "waiting for the network", seen);
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token); // a while without network
        VpnStatus waiting = await daemon.StatusAsync();
        Assert.Equal(("Reconnecting", "waiting for the network"), (waiting.State, waiting.Message));
        Assert.Equal([pid], OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.Equal(2, fake.Count("tunnel-connect"));

        // The route is back: connected again at once, without waiting for a reconnect delay.
        seen = log.Seen.Count;
        await network.AddDefaultRouteAsync(cts.Token);
        await log.WaitForAsync(s => s.State == "Connected", "Connected once the route is back", seen, TimeSpan.FromSeconds(5));
        Assert.Equal(3, fake.Count("tunnel-connect"));
        Assert.Equal(1, fake.Count("gateway-login"));
        Assert.Equal([pid], OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.Equal(pid, (await daemon.StatusAsync()).OpenconnectPid);
    }

    [Fact]
    public async Task NoRouteAtStart_AConnectWaitsForTheNetwork_AndConnectsWhenARouteAppears()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(3));
        await using IsolatedNetwork network = await IsolatedNetwork.StartAsync("", cts.Token, defaultRoute: false);
        (FakePortal fake, DaemonProcess daemon) = (network.Fake, network.Daemon);

        Task<ProcessResult> connect = VpnScenario.ConnectAsync(daemon, fake);
        await daemon.WaitForStatusAsync(s => s is { State: "Reconnecting", Message: "waiting for the network" });
        Assert.False(connect.IsCompleted);
        Assert.Equal(0, fake.Count("prelogin"));
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));

        await network.AddDefaultRouteAsync(cts.Token);
        ProcessResult connected = await connect;
        Assert.True(connected.ExitCode == 0, connected + daemon.Output);
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
        Assert.Equal(1, fake.Count("tunnel-connect"));
    }

    [Fact]
    public async Task ALinkThatDropsTraffic_IsNoticedByDeadPeerDetection_AndReconnected()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(3));
        await using IsolatedNetwork network = await IsolatedNetwork.StartAsync("dpd = 5", cts.Token);
        (FakePortal fake, DaemonProcess daemon) = (network.Fake, network.Daemon);
        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        await fake.WaitForEventAsync("tunnel-connect");
        await using StatusLog log = await StatusLog.StartAsync(daemon);

        // The server side stops answering the client, silently: no route change, no error, on the client's side.
        await network.Server.IpAsync(cts.Token, "route", "add", "blackhole", IsolatedNetwork.ClientAddress + "/32");
        VpnStatus dead = await log.WaitForAsync(s => s.State == "Reconnecting", "dead-peer detection", timeout: TimeSpan.FromSeconds(40));
        Assert.Contains("Dead Peer", dead.Message);
        ProcessResult status = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Contains("Reconnecting", status.Stdout);
        Assert.Contains("Dead Peer", status.Stdout);

        int seen = log.Seen.Count;
        await network.Server.IpAsync(cts.Token, "route", "del", "blackhole", IsolatedNetwork.ClientAddress + "/32");
        await log.WaitForAsync(s => s.State == "Connected", "Connected again", seen, TimeSpan.FromSeconds(90));
        Assert.Equal(2, fake.Count("tunnel-connect"));
    }
}
