using System.Collections.Concurrent;
using GpControl;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Connection;

/// <summary>A browser sign-in as the state machine holds it: the prompt, its checks, its expiry, and autoconnect's wait.</summary>
public sealed class ConnectionStateMachineSignInTests
{
    private const uint Owner = 1000;
    private const string Url = "https://idp.example.com/sso?SAMLRequest=x";
    private static readonly string Good = "globalprotectcallback:" + Convert.ToBase64String(
        "<saml-auth-status>1</saml-auth-status><saml-username>alice</saml-username><prelogin-cookie>Cookie1234</prelogin-cookie>"u8.ToArray());

    private readonly ConcurrentQueue<string> _answers = new();
    private readonly FakeBackend _backend;

    public ConnectionStateMachineSignInTests()
    {
        _backend = new FakeBackend
        {
            OnLogin = async (request, interaction, cancellationToken) =>
            {
                _answers.Enqueue(await interaction.SignInAsync("Sign in to portal vpn.example.com in your browser", Url, null,
                    TimeSpan.FromMinutes(10), cancellationToken));
                return FakeBackend.Success(request);
            },
        };
    }

    private async Task<(ConnectionStateMachine Controller, StateWatcher Watcher, Prompt Prompt)> StartAsync(
        FakeTimeProvider? time = null, ConnectSource source = ConnectSource.Client, uint owner = Owner)
    {
        var controller = new ConnectionStateMachine(_backend, new ReconnectSettings(), time ?? new FakeTimeProvider(), NullLogger<ConnectionStateMachine>.Instance);
        var watcher = new StateWatcher(controller);
        controller.Connect(Controllers.Request() with { Source = source }, owner);
        StateSnapshot asking = await watcher.WaitForAsync(ConnectionState.NeedsInput);
        return (controller, watcher, asking.Status.Prompt!);
    }

    [Fact]
    public async Task The_prompt_carries_the_url_and_says_what_to_run()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAsync();
        await using (controller)
        using (watcher)
        {
            Assert.Equal(Prompt.BrowserKind, prompt.Kind);
            Assert.Equal(Url, prompt.Url);
            Assert.Null(prompt.Form);
            Assert.NotNull(prompt.Expires);
            Assert.Equal("Waiting for sign-in: run gpctl connect", controller.Current.Status.Summary());

            controller.SubmitInput(prompt.Id, Good, Owner);
            await watcher.WaitForAsync(ConnectionState.Connecting);
            Assert.Equal([Good], _answers);
        }
    }

    [Theory]
    [InlineData("not a result at all", "not accepted")]
    [InlineData("globalprotectcallback:PHNhbWwtYXV0aC1zdGF0dXM+MDwvc2FtbC1hdXRoLXN0YXR1cz4=", "did not sign you in")]
    public async Task An_unusable_result_is_refused_and_the_prompt_keeps_waiting(string value, string expected)
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAsync();
        await using (controller)
        using (watcher)
        {
            var ex = Assert.Throws<InvalidInputException>(() => controller.SubmitInput(prompt.Id, value, Owner));

            Assert.Contains(expected, ex.Message);
            Assert.Equal(prompt.Id, ex.Id);
            Assert.Equal(ConnectionState.NeedsInput, controller.Current.Status.State);
            Assert.Equal(prompt.Id, controller.Current.Status.Prompt?.Id);
            Assert.Empty(_answers);
            Assert.Throws<PromptNotYoursException>(() => controller.SubmitInput(prompt.Id, Good, Owner + 1));
        }
    }

    [Fact]
    public async Task An_unfinished_sign_in_expires_with_a_clear_message()
    {
        var time = new FakeTimeProvider();
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAsync(time);
        await using (controller)
        using (watcher)
        {
            time.Advance(await Wait.For(time.WaitForTimerAsync(t => t == TimeSpan.FromMinutes(10))));

            StateSnapshot failed = await watcher.WaitForAsync(ConnectionState.Failed);
            Assert.Equal("the sign-in in the browser was not completed within 10 minutes: run gpctl connect again", failed.Status.Message);
            Assert.Throws<NoSuchPromptException>(() => controller.SubmitInput(prompt.Id, Good, Owner));
        }
    }

    [Fact]
    public async Task Autoconnects_prompt_waits_and_any_controller_may_answer_it()
    {
        (ConnectionStateMachine controller, StateWatcher watcher, Prompt prompt) = await StartAsync(source: ConnectSource.Autoconnect, owner: 0);
        await using (controller)
        using (watcher)
        {
            controller.SubmitInput(prompt.Id, Good, Owner);
            await watcher.WaitForAsync(ConnectionState.Connecting);
            Assert.Equal([Good], _answers);
        }
    }
}
