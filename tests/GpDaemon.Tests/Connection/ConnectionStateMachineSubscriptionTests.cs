using System.Collections.Concurrent;
using GpControl;
using GpDaemon.Backend;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionStateMachineSubscriptionTests
{
    private readonly ConcurrentQueue<string> _answers = new();
    private readonly FakeBackend _backend;

    public ConnectionStateMachineSubscriptionTests()
    {
        _backend = new FakeBackend { OnLogin = FakeBackend.Asks("Password", secret: true, _answers) };
    }

    /// <summary>Connects as uid 1000, answers the password prompt, and brings the tunnel up; returns once the state is Connected.</summary>
    private async Task ConnectAnsweringAsync(ConnectionStateMachine controller, StateWatcher watcher)
    {
        controller.Connect(Controllers.Request(), 1000);
        Prompt prompt = (await watcher.WaitForAsync(ConnectionState.NeedsInput)).Status.Prompt!;
        controller.SubmitInput(prompt.Id, "pw", 1000);
        await Controllers.NextTunnelUpAsync(_backend, watcher);
    }

    [Fact]
    public async Task A_subscriber_sees_every_state_in_order()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend);
        using var watcher = new StateWatcher(controller);

        await ConnectAnsweringAsync(controller, watcher);
        await controller.DisconnectAsync(Wait.Token());
        await watcher.WaitForAsync(ConnectionState.Disconnected);

        Assert.Equal(
            ["Disconnected", "Authenticating", "NeedsInput", "Authenticating", "Connecting", "Connected", "Disconnecting", "Disconnected"],
            watcher.StateChanges);
        // Nothing published was skipped: the sequence numbers run without gaps from the subscription's first state.
        long first = watcher.Seen[0].Sequence;
        Assert.Equal(Enumerable.Range(0, watcher.Seen.Count).Select(i => first + i), watcher.Seen.Select(s => s.Sequence));
    }

    [Fact]
    public async Task A_subscription_starts_with_the_current_state()
    {
        _backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await using ConnectionStateMachine controller = Controllers.Create(_backend);
        controller.Connect(Controllers.Request(), 1000);
        await _backend.NextLoginAsync(); // from here on the state holds still

        using ConnectionStateMachine.Subscription late = controller.Subscribe();

        Assert.True(late.Reader.TryRead(out StateSnapshot? first));
        Assert.Equal(ConnectionState.Authenticating, first.Status.State);
        Assert.Equal(controller.Current.Sequence, first.Sequence);
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_is_dropped_without_holding_back_others()
    {
        await using ConnectionStateMachine controller = Controllers.Create(_backend);
        using ConnectionStateMachine.Subscription stuck = controller.Subscribe(capacity: 2);
        using var watcher = new StateWatcher(controller);

        await ConnectAnsweringAsync(controller, watcher);

        var received = new List<string>();
        await Assert.ThrowsAsync<SubscriberTooSlowException>(async () =>
        {
            await foreach (StateSnapshot snapshot in stuck.Reader.ReadAllAsync(Wait.Token()))
            {
                received.Add(snapshot.Status.State.ToString());
            }
        });
        Assert.Equal(["Disconnected", "Authenticating"], received); // what fitted before it was dropped
        Assert.Contains("Connected", watcher.States);
    }

    [Fact]
    public async Task A_disposed_subscription_ends_and_receives_nothing_more()
    {
        _backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await using ConnectionStateMachine controller = Controllers.Create(_backend);
        ConnectionStateMachine.Subscription subscription = controller.Subscribe();

        subscription.Dispose();
        controller.Connect(Controllers.Request(), 1000);

        var received = new List<string>();
        await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(Wait.Token()))
        {
            received.Add(snapshot.Status.State.ToString());
        }
        Assert.Equal(["Disconnected"], received);
    }
}
