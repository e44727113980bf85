using System.Collections.Concurrent;
using GpControl;
using GpDaemon.Backend;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionStateMachineDisconnectTests
{
    private readonly FakeBackend _backend = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Disconnect_while_authenticating_cancels_the_login()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _backend.OnLogin = async (_, _, cancellationToken) =>
        {
            using CancellationTokenRegistration _ = cancellationToken.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        controller.Connect(Controllers.Request(), 1000);
        await _backend.NextLoginAsync();

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.True(cancelled.Task.IsCompleted);
        await watcher.WaitForAsync(ConnectionState.Disconnecting);
        await watcher.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal(["Disconnected", "Authenticating", "Disconnecting", "Disconnected"], watcher.StateChanges);
        Assert.Equal(0, _backend.TunnelCount);
    }

    [Fact]
    public async Task Disconnect_while_waiting_for_input_drops_the_prompt()
    {
        _backend.OnLogin = FakeBackend.Asks("Password", secret: true, new ConcurrentQueue<string>());
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        controller.Connect(Controllers.Request(), 1000);
        Prompt prompt = (await watcher.WaitForAsync(ConnectionState.NeedsInput)).Status.Prompt!;

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.Null(status.Prompt);
        Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput(prompt.Id, "pw", 1000));
        Assert.Equal(0, _backend.TunnelCount);
    }

    [Fact]
    public async Task Disconnect_while_connected_stops_the_tunnel_exactly_once()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.Null(status.Portal);
        Assert.Null(status.OpenconnectPid);
        Assert.Equal(1, tunnel.Stops);
        Assert.Equal(1, tunnel.Disposals);
        await watcher.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal(["Connected", "Disconnecting", "Disconnected"], watcher.StateChanges.TakeLast(3));
        Assert.Equal(1, _backend.TunnelCount);
    }

    [Fact]
    public async Task Disconnect_while_connecting_stops_the_tunnel_exactly_once()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        controller.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = await _backend.NextTunnelAsync();

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.Equal(1, tunnel.Stops);
    }

    [Fact]
    public async Task Disconnect_while_waiting_to_reconnect_starts_no_new_tunnel()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);
        tunnel.Exit(1, "gateway unreachable");
        await Wait.For(_time.WaitForTimerAsync());

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.Equal(1, _backend.TunnelCount);
        Assert.Equal(0, tunnel.Stops); // it had already ended
        Assert.Equal(ConnectionState.Disconnected, controller.Current.Status.State);
    }

    [Fact]
    public async Task Two_disconnects_at_once_both_end_disconnected_and_stop_the_tunnel_once()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);
        tunnel.StopGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<ConnectionStatus> first = controller.DisconnectAsync(Wait.Token());
        Task<ConnectionStatus> second = controller.DisconnectAsync(Wait.Token());
        tunnel.StopGate.SetResult();

        Assert.Equal(ConnectionState.Disconnected, (await Wait.For(first)).State);
        Assert.Equal(ConnectionState.Disconnected, (await Wait.For(second)).State);
        Assert.Equal(1, tunnel.Stops);
    }

    [Fact]
    public async Task Disconnect_when_disconnected_is_not_connected()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);

        await Assert.ThrowsAsync<NotConnectedException>(() => controller.DisconnectAsync(Wait.Token()));
    }

    [Fact]
    public async Task Disconnect_after_a_failure_clears_it()
    {
        _backend.OnLogin = FakeBackend.Fails(FailureKind.Portal, "portal said no");
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        controller.Connect(Controllers.Request(), 1000);
        await watcher.WaitForAsync(ConnectionState.Failed);

        ConnectionStatus status = await Wait.For(controller.DisconnectAsync(Wait.Token()));

        Assert.Equal(ConnectionState.Disconnected, status.State);
        Assert.Null(status.Message);
        Assert.Null(status.Portal);
        Assert.Null(controller.Current.Failure);
        await Assert.ThrowsAsync<NotConnectedException>(() => controller.DisconnectAsync(Wait.Token()));
    }

    [Fact]
    public async Task A_disconnect_whose_caller_gives_up_still_ends_disconnected()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        using var watcher = new StateWatcher(controller);
        FakeTunnel tunnel = await Controllers.ConnectedAsync(controller, _backend, watcher);
        tunnel.StopGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var caller = new CancellationTokenSource();
        Task<ConnectionStatus> disconnect = controller.DisconnectAsync(caller.Token);
        await watcher.WaitForAsync(ConnectionState.Disconnecting);
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => disconnect);
        tunnel.StopGate.SetResult(); // openconnect has logged out

        await watcher.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal(1, tunnel.Stops);
    }

    [Fact]
    public async Task Shutdown_stops_the_tunnel_and_is_quiet_when_disconnected()
    {
        ConnectionStateMachine controller = Controllers.Create(_backend, _time);
        await controller.StopAsync(Wait.Token()); // nothing to stop: no error
        controller.Connect(Controllers.Request(), 1000);
        FakeTunnel tunnel = await _backend.NextTunnelAsync();
        tunnel.Up();

        await Wait.For(controller.DisposeAsync().AsTask());

        Assert.Equal(1, tunnel.Stops);
        Assert.Equal(ConnectionState.Disconnected, controller.Current.Status.State);
    }
}
