using GpControl;
using GpDaemon.Backend;
using GpDaemon.Connection;
using GpDaemon.Control;
using GpDaemon.Tests.Support;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionStateMachineConnectTests
{
    [Fact]
    public async Task Fifty_racing_connects_start_exactly_one_attempt()
    {
        var backend = new FakeBackend { OnLogin = FakeBackend.BlocksUntilCancelled };
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        const int callers = 50;
        using var start = new ManualResetEventSlim();
        int succeeded = 0;
        var refusals = new System.Collections.Concurrent.ConcurrentBag<AlreadyConnectedException>();
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, callers).Select(i => new Thread(() =>
        {
            start.Wait();
            try
            {
                controller.Connect(Controllers.Request(), (uint)(1000 + i));
                Interlocked.Increment(ref succeeded);
            }
            catch (AlreadyConnectedException ex)
            {
                refusals.Add(ex);
            }
            catch (Exception ex)
            {
                unexpected.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        start.Set();
        threads.ForEach(t => Assert.True(t.Join(Wait.Limit)));
        await backend.NextLoginAsync();

        Assert.Empty(unexpected);
        Assert.Equal(1, succeeded);
        Assert.Equal(callers - 1, refusals.Count);
        Assert.All(refusals, ex =>
        {
            Assert.Equal(Controllers.Portal, ex.Portal);
            Assert.Equal(ConnectionState.Authenticating, ex.State);
            Assert.Contains(Controllers.Portal, ex.Message);
        });
        Assert.Equal(1, backend.LoginCount);
        Assert.Equal(ConnectionState.Authenticating, controller.Current.Status.State);
    }

    [Fact]
    public async Task Connect_returns_authenticating_with_portal_user_and_owner()
    {
        var backend = new FakeBackend { OnLogin = FakeBackend.BlocksUntilCancelled };
        await using ConnectionStateMachine controller = Controllers.Create(backend);

        StateSnapshot started = controller.Connect(Controllers.Request(), 1000);

        Assert.Equal(ConnectionState.Authenticating, started.Status.State);
        Assert.Equal(Controllers.Portal, started.Status.Portal);
        Assert.Equal("alice", started.Status.User);
        Assert.Equal(1000u, started.OwnerUid);
        Assert.Equal(Environment.ProcessId, VpnStatusMapper.ToControl(started.Status).DaemonPid);
        ConnectRequest login = await backend.NextLoginAsync();
        Assert.Equal(Controllers.Request() with { Caller = 1000 }, login);
        Assert.Equal("uid1000", login.SessionOwner);
    }

    [Fact]
    public async Task Connect_while_connected_names_the_portal_and_state()
    {
        var backend = new FakeBackend();
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        using var watcher = new StateWatcher(controller);
        await Controllers.ConnectedAsync(controller, backend, watcher);

        var ex = Assert.Throws<AlreadyConnectedException>(() => controller.Connect(Controllers.Request() with { Portal = "other.example.com" }, 1000));

        Assert.Equal(Controllers.Portal, ex.Portal);
        Assert.Equal(ConnectionState.Connected, ex.State);
        Assert.Equal(1, backend.LoginCount);
        Assert.Equal(1, backend.TunnelCount);
    }

    [Fact]
    public async Task A_failed_connection_may_be_retried()
    {
        var backend = new FakeBackend { OnLogin = FakeBackend.Fails(FailureKind.Authentication, "wrong password") };
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        using var watcher = new StateWatcher(controller);
        controller.Connect(Controllers.Request(), 1000);
        await watcher.WaitForAsync(ConnectionState.Failed);
        backend.OnLogin = (request, _, _) => Task.FromResult(FakeBackend.Success(request));

        await Controllers.ConnectedAsync(controller, backend, watcher);
        Assert.Equal(2, backend.LoginCount);
    }

    [Fact]
    public async Task A_failed_login_ends_failed_with_its_reason_and_starts_no_tunnel()
    {
        var backend = new FakeBackend { OnLogin = FakeBackend.Fails(FailureKind.Authentication, "wrong password") };
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("wrong password", failed.Status.Message);
        Assert.Equal(FailureKind.Authentication, failed.Failure);
        Assert.Equal(Controllers.Portal, failed.Status.Portal);
        Assert.Equal(0, backend.TunnelCount);
    }

    [Fact]
    public async Task An_unexpected_login_error_ends_failed_instead_of_stuck()
    {
        var backend = new FakeBackend { OnLogin = (_, _, _) => Task.FromException<LoginOutcome>(new HttpRequestException("connection reset")) };
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);

        Assert.Equal("connection reset", failed.Status.Message);
    }

    [Fact]
    public async Task Login_progress_is_published_while_authenticating()
    {
        var gateway = new Gateway("EU West", "gw2.example.com", 2);
        var backend = new FakeBackend
        {
            OnLogin = async (request, interaction, cancellationToken) =>
            {
                interaction.Progress("choosing a gateway", gateway);
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return FakeBackend.Success(request);
            },
        };
        await using ConnectionStateMachine controller = Controllers.Create(backend);
        using var watcher = new StateWatcher(controller);

        controller.Connect(Controllers.Request(), 1000);
        StateSnapshot progress = await watcher.WaitForAsync(s => s.Status.Message is not null);

        Assert.Equal(ConnectionState.Authenticating, progress.Status.State);
        Assert.Equal("choosing a gateway", progress.Status.Message);
        Assert.Equal(gateway, progress.Status.Gateway);
    }

    [Fact]
    public void Requests_and_logins_never_print_their_secrets()
    {
        var request = new ConnectRequest(Controllers.Portal, "alice", "hunter2-secret", "US East");
        var login = new LoginOutcome(Controllers.Portal, "alice", FakeBackend.UsEast, [FakeBackend.UsEast], new SecretSession());

        Assert.DoesNotContain("hunter2-secret", request.ToString());
        Assert.Contains("alice", request.ToString());
        Assert.DoesNotContain("authcookie", login.ToString());
        Assert.Contains("US East", login.ToString());
    }

    private sealed class SecretSession : IVpnSession
    {
        public Task<ITunnelHandle> StartTunnelAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public override string ToString() => "authcookie=0123456789abcdef";
    }
}
