using System.Collections.Concurrent;
using GpControl;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionStateMachineInputTests : IAsyncDisposable
{
    private const uint Owner = 1000;

    private readonly ConcurrentQueue<string> _answers = new();
    private readonly FakeBackend _backend;
    private ConnectionStateMachine? _controller;
    private StateWatcher? _watcher;

    public ConnectionStateMachineInputTests()
    {
        _backend = new FakeBackend { OnLogin = FakeBackend.Asks("Enter the one-time code", secret: true, _answers) };
    }

    /// <summary>A connect whose login asks for the code, stopped at the prompt; the controller and watcher end with the test class.</summary>
    private async Task<(ConnectionStateMachine Controller, StateWatcher Watcher, Prompt Prompt)> StartAskingAsync(FakeTimeProvider? time = null, TimeSpan? promptTimeout = null)
    {
        var controller = new ConnectionStateMachine(_backend, new ReconnectSettings(), time ?? new FakeTimeProvider(),
            NullLogger<ConnectionStateMachine>.Instance)
        {
            PromptTimeout = promptTimeout ?? TimeSpan.FromMinutes(5),
        };
        var watcher = new StateWatcher(controller);
        (_controller, _watcher) = (controller, watcher);
        controller.Connect(Controllers.Request(), Owner);
        StateSnapshot asking = await watcher.WaitForAsync(ConnectionState.NeedsInput);
        return (controller, watcher, asking.Status.Prompt!);
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }

    [Fact]
    public async Task Needs_input_carries_the_prompt_and_the_answer_reaches_the_login()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAskingAsync();
        Assert.Equal("Enter the one-time code", prompt.Message);
        Assert.True(prompt.Secret);
        Assert.False(string.IsNullOrEmpty(prompt.Id));

        controller.SubmitInput(prompt.Id, "123456", Owner);
        await Controllers.NextTunnelUpAsync(_backend, watcher);

        Assert.Equal(["123456"], _answers);
        Assert.Null(controller.Current.Status.Prompt);
    }

    [Fact]
    public async Task A_wrong_prompt_id_is_refused_and_the_prompt_stays()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAskingAsync();
        var ex = Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput("not-" + prompt.Id, "123456", Owner));

        Assert.Equal("not-" + prompt.Id, ex.Id);
        Assert.Equal(ConnectionState.NeedsInput, controller.Current.Status.State);
        Assert.Empty(_answers);
        controller.SubmitInput(prompt.Id, "654321", Owner);
        await watcher.WaitForAsync(ConnectionState.Connecting);
        Assert.Equal(["654321"], _answers);
    }

    [Fact]
    public async Task Another_user_may_not_answer_the_prompt()
    {
        (ConnectionStateMachine controller, StateWatcher _, Prompt prompt) = await StartAskingAsync();
        Assert.Throws<PromptNotYoursException>(() => controller.SubmitInput(prompt.Id, "guess", Owner + 1));

        Assert.Equal(ConnectionState.NeedsInput, controller.Current.Status.State);
        Assert.Equal(prompt, controller.Current.Status.Prompt);
        Assert.Empty(_answers);
    }

    [Fact]
    public async Task Root_may_answer_another_users_prompt()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAskingAsync();
        controller.SubmitInput(prompt.Id, "123456", 0);

        await watcher.WaitForAsync(ConnectionState.Connecting);
        Assert.Equal(["123456"], _answers);
    }

    [Fact]
    public async Task A_prompt_is_answered_only_once()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAskingAsync();
        controller.SubmitInput(prompt.Id, "123456", Owner);

        Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput(prompt.Id, "again", Owner));
        await watcher.WaitForAsync(ConnectionState.Connecting);
        Assert.Equal(["123456"], _answers);
    }

    [Fact]
    public async Task Input_without_a_pending_prompt_is_refused()
    {
        await using ConnectionStateMachine controller = Controllers.Create(new FakeBackend());

        Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput("abc", "123456", 0));
    }

    [Fact]
    public async Task An_unanswered_prompt_fails_the_attempt_after_the_prompt_timeout()
    {
        var time = new FakeTimeProvider();
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAskingAsync(time, TimeSpan.FromMinutes(5));
        TimeSpan armed = await Wait.For(time.WaitForTimerAsync(t => t == TimeSpan.FromMinutes(5)));
        time.Advance(armed);

        StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);
        Assert.Equal("nobody answered \"Enter the one-time code\" within 5 minutes", failed.Status.Message);
        Assert.Equal(FailureKind.Authentication, failed.Failure);
        Assert.Null(failed.Status.Prompt);
        Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput(prompt.Id, "late", Owner));
        Assert.Equal(0, _backend.TunnelCount);
    }
}
