using GpControl;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Control;
using GpDaemon.Tests.Support;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionStateMachineTunnelTests
{
    private readonly FakeBackend _backend = new();
    private readonly FakeTimeProvider _time = new();

    private ConnectionStateMachine Create(ReconnectSettings? reconnect = null) => Controllers.Create(_backend, _time, reconnect);

    [Fact]
    public async Task A_tunnel_that_comes_up_is_connected_with_its_addresses()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = await _backend.NextTunnelAsync();
        StateSnapshot connecting = await watcher.WaitForAsync(s => s.Status.OpenconnectPid is not null);
        tunnel.Up();
        ConnectionStatus connected = (await watcher.WaitForAsync(ConnectionState.Connected)).Status;

        Assert.Equal(ConnectionState.Connecting, connecting.Status.State);
        Assert.Equal(FakeBackend.UsEast, connected.Gateway);
        Assert.Equal("alice", connected.User);
        Assert.Equal("tun7", connected.Interface);
        Assert.Equal("10.1.2.3", connected.Ipv4);
        Assert.Equal("fd00::3", connected.Ipv6);
        Assert.Equal(["10.0.0.53", "10.0.0.54"], connected.Dns!);
        Assert.Equal(["10.0.0.0/8", "192.168.100.0/24"], connected.Routes!);
        Assert.Equal(tunnel.ProcessId, connected.OpenconnectPid);
        Assert.Equal("2025-01-02T03:04:05Z", VpnStatusMapper.ToControl(connected).ConnectedSince);
        Assert.Null(connected.Message);
        Assert.Equal("Connected to vpn.example.com via US East, 10.1.2.3", connected.Summary());
    }

    [Fact]
    public async Task Connected_waits_for_the_host_information_report_sent_while_the_tunnel_came_up()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = (await _backend.NextTunnelAsync()).WithPendingHipReport();
        tunnel.Up();
        await Wait.For(tunnel.HipReportAsked.Task);
        await Task.Delay(50);
        ConnectionState whileReporting = controller.GetStatus().State;
        tunnel.HipReportOutcome.SetResult("sent");
        ConnectionStatus connected = (await watcher.WaitForAsync(ConnectionState.Connected)).Status;

        Assert.Equal(ConnectionState.Connecting, whileReporting);
        Assert.Equal("sent", connected.HipReport);
        Assert.Equal("tun7", connected.Interface);
    }

    [Fact]
    public async Task Status_while_connected_carries_live_byte_counters()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);

        tunnel.Counters = (1500, 700);
        ConnectionStatus first = controller.GetStatus();
        tunnel.Counters = (3000, 900);
        ConnectionStatus second = controller.GetStatus();

        Assert.Equal((1500L, 700L), (first.BytesIn, first.BytesOut));
        Assert.Equal((3000L, 900L), (second.BytesIn, second.BytesOut));
    }

    [Fact]
    public async Task A_tunnel_that_exits_before_coming_up_fails_with_its_reason()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = await _backend.NextTunnelAsync();
        tunnel.Exit(1, "certificate pin mismatch");
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("tunnel to US East failed: certificate pin mismatch", failed.Status.Message);
        Assert.Equal(FailureKind.Tunnel, failed.Failure);
        Assert.Null(failed.Status.OpenconnectPid);
        Assert.Equal(1, _backend.TunnelCount);
        Assert.Equal(1, tunnel.Disposals);
    }

    [Fact]
    public async Task A_tunnel_that_exits_without_a_reason_reports_its_exit_code()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        (await _backend.NextTunnelAsync()).Exit(3);
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("tunnel to US East failed: openconnect exited with code 3", failed.Status.Message);
    }

    [Fact]
    public async Task A_tunnel_that_drops_after_being_up_reconnects_with_the_same_login()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel first = await Controllers.ConnectedAsync(controller, _backend, watcher);

        first.Exit(1, "gateway unreachable");
        StateSnapshot reconnecting = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        TimeSpan delay = await Wait.For(_time.WaitForTimerAsync());
        Assert.Equal(1, _backend.TunnelCount); // nothing starts before the delay has passed
        _time.Advance(delay);
        FakeTunnel second = await _backend.NextTunnelAsync();
        second.Up();
        StateSnapshot again = await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal("gateway unreachable; retrying in 1 s", reconnecting.Status.Message);
        Assert.Null(reconnecting.Status.OpenconnectPid);
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        Assert.Same(first.Session, second.Session);
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(second.ProcessId, again.Status.OpenconnectPid);
        Assert.Equal(1, first.Disposals);
        Assert.Equal(0, first.Stops); // it ended by itself: nothing to stop
    }

    [Fact]
    public async Task Retries_back_off_doubling_up_to_the_maximum()
    {
        await using ConnectionStateMachine controller = Create(new ReconnectSettings { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3) });
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);

        var delays = new List<TimeSpan>();
        for (int i = 0; i < 4; i++)
        {
            tunnel.Exit(1, "gateway unreachable"); // each retry fails again before coming up
            TimeSpan delay = await Wait.For(_time.WaitForTimerAsync());
            delays.Add(delay);
            _time.Advance(delay);
            tunnel = await _backend.NextTunnelAsync();
        }

        Assert.Equal([1, 2, 3, 3], delays.Select(d => d.TotalSeconds));
        Assert.Equal(5, _backend.TunnelCount);
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task After_the_tunnel_stayed_up_a_while_the_next_drop_waits_the_initial_delay_again()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);

        tunnel.Exit(1, "gateway unreachable");
        TimeSpan first = await Wait.For(_time.WaitForTimerAsync());
        _time.Advance(first);
        tunnel = await Controllers.NextTunnelUpAsync(_backend, watcher);
        _time.Advance(ConnectionStateMachine.StableAfter); // a proven tunnel, not a crash loop
        tunnel.Exit(1, "gateway unreachable");
        TimeSpan second = await Wait.For(_time.WaitForTimerAsync());

        Assert.Equal(TimeSpan.FromSeconds(1), first);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
    }

    [Fact]
    public async Task Openconnect_reconnecting_by_itself_is_shown_then_connected_again()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);

        tunnel.Reconnecting("dead peer detected");
        StateSnapshot reconnecting = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);

        Assert.Equal("dead peer detected", reconnecting.Status.Message);
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task A_rejected_cookie_without_a_password_fails_and_forgets_the_session()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher, Controllers.Request(password: null));

        tunnel.Exit(2, "cookie rejected", cookieRejected: true);
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("session expired or rejected by the gateway, run gpctl connect again", failed.Status.Message);
        Assert.Equal(FailureKind.Authentication, failed.Failure);
        Assert.Equal([Controllers.Portal], _backend.ForgottenSessions);
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task A_rejected_cookie_with_a_password_logs_in_again_once()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel first = await Controllers.ConnectedAsync(controller, _backend, watcher, Controllers.Request(password: "hunter2"));

        first.Exit(2, "cookie rejected", cookieRejected: true);
        StateSnapshot relogin = await watcher.WaitForAsync(ConnectionState.Reconnecting);
        await _backend.NextLoginAsync(); // the first login
        ConnectRequest second = await _backend.NextLoginAsync();
        FakeTunnel retry = await _backend.NextTunnelAsync();
        retry.Exit(2, "cookie rejected", cookieRejected: true); // the fresh cookie is refused too: give up
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("session expired, logging in again", relogin.Status.Message);
        Assert.Equal("hunter2", second.Password);
        Assert.Equal(2, _backend.LoginCount);
        Assert.Equal(2, _backend.TunnelCount);
        Assert.Equal("session expired or rejected by the gateway, run gpctl connect again", failed.Status.Message);
    }

    [Fact]
    public async Task A_cookie_rejected_again_after_a_successful_relogin_logs_in_again()
    {
        await using ConnectionStateMachine controller = Create();
        using var watcher = new StateWatcher(controller);
        FakeTunnel first = await Controllers.ConnectedAsync(controller, _backend, watcher, Controllers.Request(password: "hunter2"));
        first.Exit(2, "cookie rejected", cookieRejected: true);
        FakeTunnel second = await Controllers.NextTunnelUpAsync(_backend, watcher);

        second.Exit(2, "cookie rejected", cookieRejected: true); // the next day the new session expires as well
        FakeTunnel third = await Controllers.NextTunnelUpAsync(_backend, watcher);

        Assert.Equal(3, _backend.LoginCount);
    }
}
