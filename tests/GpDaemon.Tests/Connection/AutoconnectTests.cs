using GpControl;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Connection;

/// <summary>
/// Boot-time autoconnect on a clock the test moves: its retry schedule, what it never retries, and when it stands
/// down. The controller gets a clock of its own, so every timer armed on <see cref="Clock"/> is an autoconnect retry.
/// </summary>
public sealed class AutoconnectTests : IAsyncDisposable
{
    private readonly FakeBackend _backend = new();
    private readonly ConnectionStateMachine _controller;
    private readonly Autoconnect _autoconnect;

    public AutoconnectTests()
    {
        _controller = Controllers.Create(_backend);
        var config = new ConfigStore("/nonexistent/gpdaemon.toml",
            new DaemonConfig { Autoconnect = true, Portal = Controllers.Portal, User = "alice" });
        _autoconnect = new Autoconnect(_controller, config, Clock, NullLogger<Autoconnect>.Instance);
    }

    private FakeTimeProvider Clock { get; } = new();

    [Fact]
    public async Task A_portal_error_is_retried_after_5_s_doubling_up_to_5_min()
    {
        _backend.OnLogin = FakeBackend.Fails(FailureKind.Portal, "portal vpn.example.com: HTTP 500");
        await StartAsync();

        var delays = new List<TimeSpan>();
        for (int attempt = 1; attempt <= 9; attempt++)
        {
            TimeSpan armed = await Wait.For(Clock.WaitForTimerAsync());
            Assert.Equal(attempt, _backend.LoginCount);
            delays.Add(armed);
            Clock.Advance(armed);
            await WaitForLoginCountAsync(attempt + 1);
        }
        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300, 300], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task A_refused_password_is_never_retried()
    {
        _backend.OnLogin = FakeBackend.Fails(FailureKind.Authentication, "portal vpn.example.com refused the login for alice");
        await StartAsync();

        // Autoconnect gives up (its loop ends) instead of arming a retry...
        await Wait.For(_autoconnect.ExecuteTask!);
        Assert.Equal(ConnectionState.Failed, _controller.Current.Status.State);
        // ...and however long the daemon runs, no second login is tried.
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task A_prompt_at_boot_waits_for_an_answer_and_the_login_goes_on_once_given()
    {
        var answers = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _backend.OnLogin = FakeBackend.Asks("Enter the code from your authenticator", secret: true, answers);
        using var watcher = new StateWatcher(_controller);
        await StartAsync();

        // Nobody may be there at boot: the question waits for `gpctl connect` to join and answer it.
        StateSnapshot asking = await watcher.WaitForAsync(ConnectionState.NeedsInput);
        Assert.Equal("Enter the code from your authenticator", asking.Status.Prompt!.Message);
        _controller.SubmitInput(asking.Status.Prompt.Id, "123456", 0);

        // The login took the answer and went on to the tunnel.
        await watcher.WaitForAsync(ConnectionState.Connecting);
        Assert.Equal(["123456"], answers);
        Assert.Equal(1, _backend.LoginCount);
    }

    [Fact]
    public async Task A_users_own_connect_ends_autoconnect()
    {
        _backend.OnLogin = FakeBackend.Fails(FailureKind.Portal, "portal down");
        await StartAsync();
        await Wait.For(Clock.WaitForTimerAsync()); // autoconnect failed and waits to retry

        // A user connects (to another portal) while autoconnect waits: the connection is theirs.
        _backend.OnLogin = (request, _, _) => Task.FromResult(FakeBackend.Success(request));
        _controller.Connect(new ConnectRequest("other.example.com", "bob", "pw", null), 1000);
        await _backend.NextTunnelAsync();
        // When its retry comes due, autoconnect sees the connection is not its own and ends instead of retrying.
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Wait.For(_autoconnect.ExecuteTask!);

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, _backend.LoginCount);
        Assert.Equal("other.example.com", _controller.Current.Status.Portal);
    }

    [Fact]
    public async Task A_users_disconnect_ends_autoconnect()
    {
        _backend.OnLogin = FakeBackend.Fails(FailureKind.Portal, "portal down");
        await StartAsync();
        await Wait.For(Clock.WaitForTimerAsync());

        await _controller.DisconnectAsync(Wait.Token());
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Wait.For(_autoconnect.ExecuteTask!);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, _backend.LoginCount);
        Assert.Equal(ConnectionState.Disconnected, _controller.Current.Status.State);
    }

    // Not a deadline: StartAsync returns at once, and its token becomes autoconnect's stopping token, whose firing
    // would end the loop and pass for the ending a test waits for. Disposing stops it.
    private Task StartAsync() => _autoconnect.StartAsync(CancellationToken.None);

    private async Task WaitForLoginCountAsync(int count)
    {
        CancellationToken timeout = Wait.Token();
        while (_backend.LoginCount < count)
        {
            await Task.Delay(5, timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(Wait.Limit);
        await _autoconnect.StopAsync(stop.Token);
        _autoconnect.Dispose();
        await _controller.DisposeAsync();
    }
}
