using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;

namespace GpDaemon.Tests.Connection;

/// <summary>Reconnect requests (a resume, a new route) and the network going and coming back, with the in-memory backend.</summary>
public sealed class ConnectionStateMachineNetworkTests
{
    private readonly FakeBackend _backend = new();
    private readonly FakeTimeProvider _time = new();

    private ConnectionStateMachine Create() => Controllers.Create(_backend, _time,
        new ReconnectSettings { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) });

    private async Task<FakeTunnel> ConnectAsync(ConnectionStateMachine machine, StateWatcher watcher)
    {
        FakeTunnel tunnel = await Controllers.ConnectedAsync(machine, _backend, watcher);
        return tunnel;
    }

    [Fact]
    public async Task A_reconnect_request_makes_the_running_tunnel_reconnect_and_shows_reconnecting_until_it_is_up()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        FakeTunnel tunnel = await ConnectAsync(machine, watcher);

        machine.RequestReconnect("resumed from sleep");
        StateSnapshot reconnecting = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        Assert.Equal("resumed from sleep", await tunnel.NextReconnectRequestAsync());
        tunnel.Up();
        StateSnapshot again = await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal("resumed from sleep", reconnecting.Status.Message);
        Assert.Equal(tunnel.ProcessId, reconnecting.Status.OpenconnectPid); // the same openconnect throughout
        Assert.Equal(tunnel.ProcessId, again.Status.OpenconnectPid);
        Assert.Null(again.Status.Message);
        Assert.Equal(["Disconnected", "Authenticating", "Connecting", "Connected", "Reconnecting", "Connected"], watcher.StateChanges);
        Assert.Equal(1, _backend.TunnelCount);
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(0, tunnel.Stops);
    }

    [Fact]
    public async Task A_reconnect_in_progress_absorbs_further_requests()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        FakeTunnel tunnel = await ConnectAsync(machine, watcher);

        for (int i = 0; i < 5; i++)
        {
            machine.RequestReconnect("route changed");
        }
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal(1, tunnel.ReconnectRequests);
        Assert.Equal(["Disconnected", "Authenticating", "Connecting", "Connected", "Reconnecting", "Connected"], watcher.StateChanges);
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task A_reconnect_request_while_the_tunnel_starts_or_openconnect_reconnects_is_absorbed()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        machine.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = await _backend.NextTunnelAsync();
        await watcher.WaitForAsync(s => s.Status.OpenconnectPid is not null);

        machine.RequestReconnect("resumed from sleep"); // Connecting: the tunnel is not up yet
        Assert.Equal(ConnectionState.Connecting, machine.Current.Status.State);
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);
        tunnel.Reconnecting("dead peer detected");
        await watcher.WaitForAsync(ConnectionState.Reconnecting);
        machine.RequestReconnect("resumed from sleep"); // openconnect is already at it

        Assert.Equal("dead peer detected", machine.Current.Status.Message);
        Assert.Equal(0, tunnel.ReconnectRequests);
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task A_reconnect_request_during_the_login_is_absorbed()
    {
        _backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        machine.Connect(Controllers.Request(), 1000);
        await _backend.NextLoginAsync();
        long sequence = machine.Current.Sequence;

        machine.RequestReconnect("resumed from sleep");

        Assert.Equal(ConnectionState.Authenticating, machine.Current.Status.State);
        Assert.Equal(sequence, machine.Current.Sequence);
        Assert.Equal(0, _backend.TunnelCount);
    }

    [Fact]
    public async Task Without_a_connection_a_reconnect_request_or_a_network_change_does_nothing()
    {
        await using ConnectionStateMachine machine = Create();

        machine.RequestReconnect("resumed from sleep");
        machine.NetworkLost();
        machine.NetworkAvailable();

        Assert.Equal(ConnectionState.Disconnected, machine.Current.Status.State);
        Assert.Equal(0, machine.Current.Sequence);
        Assert.Equal(0, _backend.LoginCount);
    }

    [Fact]
    public async Task After_a_failure_a_reconnect_request_does_nothing()
    {
        _backend.OnLogin = FakeBackend.Fails(Backend.FailureKind.Portal, "portal unreachable");
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        machine.Connect(Controllers.Request(), 1000);
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        machine.RequestReconnect("resumed from sleep");

        Assert.Same(failed, machine.Current);
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(0, _backend.TunnelCount);
    }

    [Fact]
    public async Task Without_network_the_connection_waits_and_reconnects_the_running_tunnel_when_it_is_back()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        FakeTunnel tunnel = await ConnectAsync(machine, watcher);

        machine.NetworkLost();
        StateSnapshot waiting = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        machine.NetworkAvailable();
        Assert.Equal(ConnectionStateMachine.NetworkBack, await tunnel.NextReconnectRequestAsync());
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal("waiting for the network", waiting.Status.Message);
        Assert.Equal(["Disconnected", "Authenticating", "Connecting", "Connected", "Reconnecting", "Connected"], watcher.StateChanges);
        Assert.Equal(1, _backend.TunnelCount);
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task Without_network_a_tunnel_that_exits_is_not_retried_and_its_backoff_does_not_grow()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        FakeTunnel tunnel = await ConnectAsync(machine, watcher);
        var delays = new List<TimeSpan>();

        // Two drops with the network there: the delay grows, 1 s then 2 s.
        tunnel.Exit(1, "gateway unreachable");
        delays.Add(await Wait.For(_time.WaitForTimerAsync()));
        _time.Advance(delays[^1]);
        tunnel = await _backend.NextTunnelAsync();
        tunnel.Exit(1, "gateway unreachable");
        delays.Add(await Wait.For(_time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2))));

        // The network goes during the delay: no attempt however long it is gone.
        machine.NetworkLost();
        StateSnapshot waiting = await watcher.WaitForAsync(s => s.Status.Message == "waiting for the network");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, _backend.TunnelCount);

        // Back: a new tunnel at once (no time passes), with the same login and the delay from its start.
        machine.NetworkAvailable();
        tunnel = await _backend.NextTunnelAsync();
        tunnel.Exit(1, "gateway unreachable");
        delays.Add(await Wait.For(_time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1))));

        Assert.Equal(ConnectionState.Reconnecting, waiting.Status.State);
        Assert.Null(waiting.Status.OpenconnectPid);
        Assert.Equal([1, 2, 1], delays.Select(d => d.TotalSeconds));
        Assert.Equal(3, _backend.TunnelCount);
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task A_tunnel_that_exits_while_the_network_is_gone_starts_again_at_once_when_it_is_back()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        FakeTunnel first = await ConnectAsync(machine, watcher);

        machine.NetworkLost();
        await watcher.WaitForAsync(ConnectionState.Reconnecting);
        first.Exit(1, "gateway unreachable");
        await watcher.WaitForAsync(s => s.Status.OpenconnectPid is null);
        Assert.Equal(1, _backend.TunnelCount);
        machine.NetworkAvailable();
        FakeTunnel second = await _backend.NextTunnelAsync();
        second.Up();
        StateSnapshot again = await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal(["Disconnected", "Authenticating", "Connecting", "Connected", "Reconnecting", "Connected"], watcher.StateChanges);
        Assert.Equal(second.ProcessId, again.Status.OpenconnectPid);
        Assert.Same(first.Session, second.Session);
        Assert.Equal(0, first.ReconnectRequests); // it had exited: nothing to signal
        Assert.Equal(2, _backend.TunnelCount);
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task A_connect_while_the_network_is_gone_is_accepted_and_waits_for_it_before_the_login()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        machine.NetworkLost();

        StateSnapshot started = machine.Connect(Controllers.Request(), 1000);
        StateSnapshot waiting = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        Assert.Equal(0, _backend.LoginCount);
        machine.NetworkAvailable();
        await Controllers.NextTunnelUpAsync(_backend, watcher);

        Assert.Equal(ConnectionState.Authenticating, started.Status.State);
        Assert.Equal("waiting for the network", waiting.Status.Message);
        Assert.Equal(["Disconnected", "Authenticating", "Reconnecting", "Authenticating", "Connecting", "Connected"], watcher.StateChanges);
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task A_disconnect_while_waiting_for_the_network_ends_the_attempt()
    {
        await using ConnectionStateMachine machine = Create();
        using var watcher = new StateWatcher(machine);
        machine.NetworkLost();
        machine.Connect(Controllers.Request(), 1000);
        await watcher.WaitForAsync(ConnectionState.Reconnecting);

        ConnectionStatus done = await machine.DisconnectAsync(Wait.Token());
        machine.NetworkAvailable();

        Assert.Equal(ConnectionState.Disconnected, done.State);
        Assert.Equal(ConnectionState.Disconnected, machine.Current.Status.State);
        Assert.Equal(0, _backend.LoginCount);
    }
}
