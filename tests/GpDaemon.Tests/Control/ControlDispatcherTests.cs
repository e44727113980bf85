using System.Collections.Concurrent;
using System.Text.Json;
using GpControl;
using GpControl.Varlink;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Control;
using GpDaemon.Tests.Support;
using static GpDaemon.Tests.Support.DispatcherHarness;

namespace GpDaemon.Tests.Control;

public sealed class ControlDispatcherTests : IAsyncLifetime
{
    private const string ConnectCall = """{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com","user":"alice"}}""";
    private const string ConnectFollow = """{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com","user":"alice"},"more":true}""";
    private const string GetStatus = """{"method":"io.gpdaemon.Vpn.GetStatus"}""";

    private DispatcherHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static VpnStatus StatusOf(VarlinkReply reply)
    {
        Assert.Null(reply.Error);
        return reply.Parameters.Deserialize(ControlJsonContext.Default.StatusReply)!.Status;
    }

    private static string? Param(VarlinkReply reply, string name) =>
        reply.Parameters.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    [Fact]
    public async Task Get_info_names_the_service_and_both_interfaces()
    {
        VarlinkReply reply = await _h.CallOneAsync("""{"method":"org.varlink.service.GetInfo"}""", null);

        Assert.Null(reply.Error);
        Assert.Equal("gpdaemon", Param(reply, "product"));
        Assert.Equal(DaemonInfo.Version, Param(reply, "version"));
        Assert.Equal(["org.varlink.service", "io.gpdaemon.Vpn"],
            reply.Parameters.GetProperty("interfaces").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("io.gpdaemon.Vpn", "interface io.gpdaemon.Vpn")]
    [InlineData("org.varlink.service", "interface org.varlink.service")]
    public async Task Get_interface_description_returns_the_interface_text(string name, string expected)
    {
        VarlinkReply reply = await _h.CallOneAsync($$$"""{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"{{{name}}}"}}""", null);

        Assert.Null(reply.Error);
        Assert.Contains(expected, Param(reply, "description"));
    }

    [Fact]
    public async Task Get_interface_description_of_an_unknown_interface_is_interface_not_found()
    {
        VarlinkReply reply = await _h.CallOneAsync("""{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"com.example.Nope"}}""", null);

        Assert.Equal(VarlinkService.InterfaceNotFound, reply.Error);
        Assert.Equal("com.example.Nope", Param(reply, "interface"));
    }

    [Fact]
    public async Task Get_interface_description_without_the_interface_is_invalid_parameter()
    {
        VarlinkReply reply = await _h.CallOneAsync("""{"method":"org.varlink.service.GetInterfaceDescription"}""", null);

        Assert.Equal(VarlinkService.InvalidParameter, reply.Error);
        Assert.Equal("interface", Param(reply, "parameter"));
    }

    [Theory]
    [InlineData("io.gpdaemon.Vpn.Reboot")]
    [InlineData("org.varlink.service.Upgrade")]
    public async Task An_unknown_method_of_a_known_interface_is_method_not_found(string method)
    {
        VarlinkReply reply = await _h.CallOneAsync($$$"""{"method":"{{{method}}}"}""", Root);

        Assert.Equal(VarlinkService.MethodNotFound, reply.Error);
        Assert.Equal(method, Param(reply, "method"));
    }

    [Theory]
    [InlineData("com.example.Other.Connect", "com.example.Other")]
    [InlineData("NoDots", "NoDots")]
    public async Task A_method_of_an_unknown_interface_is_interface_not_found(string method, string iface)
    {
        VarlinkReply reply = await _h.CallOneAsync($$$"""{"method":"{{{method}}}"}""", Root);

        Assert.Equal(VarlinkService.InterfaceNotFound, reply.Error);
        Assert.Equal(iface, Param(reply, "interface"));
    }

    [Theory]
    [InlineData("""{"portal":5}""", "portal")]
    [InlineData("""{"portal":"vpn.example.com","user":true}""", "user")]
    [InlineData("""{"portal":"vpn.example.com","password":["x"]}""", "password")]
    [InlineData("""{"portal":"vpn.example.com","gateway":{}}""", "gateway")]
    [InlineData("""{}""", "portal")]
    [InlineData("""{"portal":"  "}""", "portal")]
    public async Task Connect_with_a_wrong_or_missing_parameter_names_it(string parameters, string name)
    {
        VarlinkReply reply = await _h.CallOneAsync($$$"""{"method":"io.gpdaemon.Vpn.Connect","parameters":{{{parameters}}}}""", Root);

        Assert.Equal(VarlinkService.InvalidParameter, reply.Error);
        Assert.Equal(name, Param(reply, "parameter"));
        Assert.Equal(0, _h.Backend.LoginCount);
    }

    [Theory]
    [InlineData("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com"}}""", "connect")]
    [InlineData("""{"method":"io.gpdaemon.Vpn.Disconnect"}""", "disconnect")]
    [InlineData("""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"a","value":"b"}}""", "submit input")]
    public async Task Changing_the_connection_needs_root_or_the_control_group(string json, string action)
    {
        foreach (PeerCredentials? peer in new[] { Stranger, null })
        {
            VarlinkReply reply = await _h.CallOneAsync(json, peer);

            Assert.Equal(VpnInterface.PermissionDenied, reply.Error);
            Assert.Equal(action, Param(reply, "action"));
            Assert.Equal(ControlGroup, Param(reply, "group"));
        }
        Assert.Equal(0, _h.Backend.LoginCount);
        Assert.Equal(ConnectionState.Disconnected, _h.Controller.Current.Status.State);
    }

    [Fact]
    public async Task Members_of_the_control_group_may_connect_by_primary_or_supplementary_group()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;

        VarlinkReply byMember = await _h.CallOneAsync(ConnectCall, Member);
        await _h.Controller.DisconnectAsync(Wait.Token());
        VarlinkReply byOther = await _h.CallOneAsync(ConnectCall, OtherMember);

        Assert.Equal("Authenticating", StatusOf(byMember).State);
        Assert.Equal("Authenticating", StatusOf(byOther).State);
    }

    [Fact]
    public async Task Anyone_may_read_the_status()
    {
        foreach (PeerCredentials? peer in new[] { Stranger, null, Root })
        {
            VpnStatus status = StatusOf(await _h.CallOneAsync(GetStatus, peer));

            Assert.Equal("Disconnected", status.State);
            Assert.Equal(Environment.ProcessId, status.DaemonPid);
        }
    }

    [Theory]
    [InlineData(VpnInterface.Connect, "portal", ParameterLimits.Portal)]
    [InlineData(VpnInterface.Connect, "user", ParameterLimits.Name)]
    [InlineData(VpnInterface.Connect, "password", ParameterLimits.Secret)]
    [InlineData(VpnInterface.Connect, "gateway", ParameterLimits.Name)]
    [InlineData(VpnInterface.SubmitInput, "id", ParameterLimits.PromptId)]
    [InlineData(VpnInterface.SubmitInput, "value", ParameterLimits.SignInResult)]
    [InlineData(VpnInterface.Disconnect, "portal", ParameterLimits.Portal)]
    public async Task A_parameter_over_its_bound_is_invalid_parameter_naming_it(string method, string name, int limit)
    {
        var parameters = new System.Text.Json.Nodes.JsonObject { ["portal"] = "vpn.example.com", ["id"] = "a", ["value"] = "b", ["forget"] = true };
        parameters[name] = new string('x', limit + 1);

        VarlinkReply reply = await _h.CallOneAsync($$$"""{"method":"{{{method}}}","parameters":{{{parameters.ToJsonString()}}}}""", Root);

        Assert.Equal(VarlinkService.InvalidParameter, reply.Error);
        Assert.Equal(name, Param(reply, "parameter"));
        Assert.Equal(0, _h.Backend.LoginCount);
    }

    [Fact]
    public async Task Connect_ignores_unknown_parameters_whatever_they_hold()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;

        VarlinkReply reply = await _h.CallOneAsync(
            """{"method":"io.gpdaemon.Vpn.Connect","parameters":{"Portal":1,"extra":"\udc00","nested":{"a":[1,{}]},"portal":"vpn.example.com","user":"alice"}}""", Root);
        ConnectRequest request = await _h.Backend.NextLoginAsync();

        Assert.Null(reply.Error);
        Assert.Equal(new ConnectRequest("vpn.example.com", "alice", null, null), request);
    }

    [Fact]
    public async Task Connect_without_a_portal_uses_the_configured_one()
    {
        await _h.DisposeAsync();
        _h = new DispatcherHarness(new DaemonConfig { Portal = "vpn.example.com", User = "bob", Gateway = "US East" });
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;

        VpnStatus status = StatusOf(await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{}}""", Root));
        ConnectRequest request = await _h.Backend.NextLoginAsync();

        Assert.Equal("vpn.example.com", status.Portal);
        Assert.Equal(new ConnectRequest("vpn.example.com", "bob", null, "US East"), request);
    }

    [Fact]
    public async Task Connect_to_another_portal_does_not_borrow_the_configured_user()
    {
        await _h.DisposeAsync();
        _h = new DispatcherHarness(new DaemonConfig { Portal = "vpn.example.com", User = "bob", Gateway = "US East" });
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;

        await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"other.example.com"}}""", Root);
        ConnectRequest request = await _h.Backend.NextLoginAsync();

        Assert.Equal(new ConnectRequest("other.example.com", null, null, null), request);
    }

    [Fact]
    public async Task A_pending_prompt_is_shown_only_to_its_owner_and_root()
    {
        var answers = new ConcurrentQueue<string>();
        _h.Backend.OnLogin = FakeBackend.Asks("Password", secret: true, answers);
        using var watcher = new StateWatcher(_h.Controller);
        await _h.CallOneAsync(ConnectCall, Member);
        Prompt prompt = (await watcher.WaitForAsync(ConnectionState.NeedsInput)).Status.Prompt!;

        Assert.Equal(prompt, StatusOf(await _h.CallOneAsync(GetStatus, Member)).Prompt);
        Assert.Equal(prompt, StatusOf(await _h.CallOneAsync(GetStatus, Root)).Prompt);
        foreach (PeerCredentials? other in new[] { OtherMember, Stranger, null })
        {
            VpnStatus seen = StatusOf(await _h.CallOneAsync(GetStatus, other));
            Assert.Equal("NeedsInput", seen.State);
            Assert.Null(seen.Prompt);
            Assert.Null(StatusOf(await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Watch"}""", other)).Prompt);
        }
    }

    [Fact]
    public async Task Submit_input_answers_the_prompt_of_its_owner_only()
    {
        var answers = new ConcurrentQueue<string>();
        _h.Backend.OnLogin = FakeBackend.Asks("Password", secret: true, answers);
        using var watcher = new StateWatcher(_h.Controller);
        await _h.CallOneAsync(ConnectCall, Member);
        Prompt prompt = (await watcher.WaitForAsync(ConnectionState.NeedsInput)).Status.Prompt!;

        VarlinkReply notYours = await _h.CallOneAsync($$$"""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"{{{prompt.Id}}}","value":"guess"}}""", OtherMember);
        VarlinkReply wrongId = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"nope","value":"pw"}}""", Member);
        VarlinkReply noValue = await _h.CallOneAsync($$$"""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"{{{prompt.Id}}}"}}""", Member);
        VarlinkReply answered = await _h.CallOneAsync($$$"""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"{{{prompt.Id}}}","value":"pw"}}""", Member);
        await _h.Backend.NextTunnelAsync();

        Assert.Equal(VpnInterface.PermissionDenied, notYours.Error);
        Assert.Equal("answer another user's prompt", Param(notYours, "action"));
        Assert.Equal(VpnInterface.NoSuchPrompt, wrongId.Error);
        Assert.Equal("nope", Param(wrongId, "id"));
        Assert.Equal(VarlinkService.InvalidParameter, noValue.Error);
        Assert.Equal("value", Param(noValue, "parameter"));
        Assert.Null(answered.Error);
        Assert.Equal(["pw"], answers);
    }

    [Fact]
    public async Task Connect_with_more_streams_every_state_until_connected()
    {
        var replies = new List<VarlinkReply>();
        Task streaming = Task.Run(async () =>
        {
            await foreach (VarlinkReply reply in _h.StreamAsync(ConnectFollow, Member, Wait.Token()))
            {
                replies.Add(reply);
            }
        });
        (await _h.Backend.NextTunnelAsync()).Up();
        await Wait.For(streaming);

        Assert.All(replies, r => Assert.Null(r.Error));
        Assert.All(replies[..^1], r => Assert.True(r.Continues));
        Assert.False(replies[^1].Continues);
        VpnStatus last = StatusOf(replies[^1]);
        Assert.Equal("Connected", last.State);
        Assert.Equal("10.1.2.3", last.Ipv4);
        List<string> states = replies.Select(r => StatusOf(r).State).ToList();
        Assert.Equal("Authenticating", states[0]);
        Assert.Contains("Connecting", states);
        Assert.Equal(1, states.Count(s => s == "Connected"));
    }

    [Theory]
    [InlineData(nameof(FailureKind.Authentication), VpnInterface.AuthenticationFailed)]
    [InlineData(nameof(FailureKind.Portal), VpnInterface.PortalError)]
    [InlineData(nameof(FailureKind.Tunnel), VpnInterface.ConnectFailed)]
    public async Task Connect_with_more_ends_in_the_error_matching_the_failure(string kind, string error)
    {
        _h.Backend.OnLogin = FakeBackend.Fails(Enum.Parse<FailureKind>(kind), "it did not work");

        List<VarlinkReply> replies = await _h.CallAsync(ConnectFollow, Member);

        Assert.Equal(error, replies[^1].Error);
        Assert.Equal("it did not work", Param(replies[^1], "message"));
        Assert.All(replies[..^1], r => Assert.True(r.Continues));
    }

    [Fact]
    public async Task Connect_with_more_ends_with_an_error_when_disconnected_meanwhile()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        var replies = new List<VarlinkReply>();
        Task streaming = Task.Run(async () =>
        {
            await foreach (VarlinkReply reply in _h.StreamAsync(ConnectFollow, Member, Wait.Token()))
            {
                replies.Add(reply);
            }
        });
        await _h.Backend.NextLoginAsync();

        await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Disconnect"}""", Root);
        await Wait.For(streaming);

        Assert.Equal(VpnInterface.ConnectFailed, replies[^1].Error);
        Assert.Equal("disconnected before the connection was up", Param(replies[^1], "message"));
    }

    [Fact]
    public async Task Connect_without_more_answers_once_when_the_attempt_has_started()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;

        VarlinkReply reply = await _h.CallOneAsync(ConnectCall, Member);

        Assert.False(reply.Continues);
        Assert.Equal("Authenticating", StatusOf(reply).State);
        Assert.Equal("alice", StatusOf(reply).User);
    }

    [Fact]
    public async Task A_second_connect_is_already_connected_with_portal_and_state()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await _h.CallOneAsync(ConnectCall, Member);
        await _h.Backend.NextLoginAsync();

        VarlinkReply reply = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"other.example.com"},"more":true}""", Root);

        Assert.Equal(VpnInterface.AlreadyConnected, reply.Error);
        Assert.Equal("vpn.example.com", Param(reply, "portal"));
        Assert.Equal("Authenticating", Param(reply, "state"));
        Assert.Equal(1, _h.Backend.LoginCount);
    }

    [Fact]
    public async Task Disconnect_when_disconnected_is_not_connected()
    {
        VarlinkReply reply = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Disconnect"}""", Member);

        Assert.Equal(VpnInterface.NotConnected, reply.Error);
    }

    [Fact]
    public async Task Disconnect_while_connected_answers_disconnected()
    {
        using var watcher = new StateWatcher(_h.Controller);
        await _h.CallOneAsync(ConnectCall, Member);
        FakeTunnel tunnel = await _h.Backend.NextTunnelAsync();
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);

        VarlinkReply reply = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Disconnect"}""", OtherMember);

        Assert.Equal("Disconnected", StatusOf(reply).State);
        Assert.Equal(1, tunnel.Stops);
    }

    [Fact]
    public async Task Disconnect_with_forget_disconnects_then_forgets_the_callers_own_session_only()
    {
        using var watcher = new StateWatcher(_h.Controller);
        await _h.CallOneAsync(ConnectCall, Member);
        FakeTunnel tunnel = await _h.Backend.NextTunnelAsync();
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);

        VarlinkReply reply = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Disconnect","parameters":{"forget":true}}""", OtherMember);

        Assert.Null(reply.Error);
        DisconnectReply result = reply.Parameters.Deserialize(ControlJsonContext.Default.DisconnectReply)!;
        Assert.Equal("Disconnected", result.Status.State);
        Assert.Equal("vpn.example.com", result.Forgot);
        Assert.Equal(1, tunnel.Stops);
        Assert.Equal(["uid" + OtherMember.Uid], _h.Backend.ForgottenOwners);
        Assert.Equal(["vpn.example.com"], _h.Backend.ForgottenSessions);
    }

    [Fact]
    public async Task Disconnect_with_forget_when_not_connected_forgets_the_named_portal_without_an_error()
    {
        VarlinkReply reply = await _h.CallOneAsync("""{"method":"io.gpdaemon.Vpn.Disconnect","parameters":{"forget":true,"portal":"other.example.com"}}""", Member);

        Assert.Null(reply.Error);
        Assert.Equal("Disconnected", StatusOf(reply).State);
        Assert.Equal(["other.example.com"], _h.Backend.ForgottenSessions);
        Assert.Equal(["uid" + Member.Uid], _h.Backend.ForgottenOwners);
    }

    [Theory]
    [InlineData("forget", "\"yes\"")]
    [InlineData("portal", "\"vpn.example.com\\u001b[2J\"")]
    public async Task Disconnect_with_a_wrong_forget_parameter_is_invalid_parameter(string name, string value)
    {
        VarlinkReply reply = await _h.CallOneAsync(
            $$$"""{"method":"io.gpdaemon.Vpn.Disconnect","parameters":{"forget":true,"{{{name}}}":{{{value}}}}}""", Member);

        Assert.Equal(VarlinkService.InvalidParameter, reply.Error);
        Assert.Equal(name, Param(reply, "parameter"));
        Assert.Empty(_h.Backend.ForgottenSessions);
    }

    [Theory]
    [InlineData("portal", "vpn.example.com\\u001b[2J")]
    [InlineData("portal", "vpn.example.com\\nINFO forged")]
    [InlineData("user", "alice\\u202e")]
    [InlineData("gateway", "US\\u0085East")]
    public async Task Connect_refuses_control_characters_in_text_every_user_sees(string name, string value)
    {
        VarlinkReply reply = await _h.CallOneAsync(
            $$$"""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com","{{{name}}}":"{{{value}}}"}}""", Member);

        Assert.Equal(VarlinkService.InvalidParameter, reply.Error);
        Assert.Equal(name, Param(reply, "parameter"));
        Assert.Equal(0, _h.Backend.LoginCount);
        Assert.Equal(ConnectionState.Disconnected, _h.Controller.Current.Status.State);
    }

    [Fact]
    public async Task Watch_with_more_streams_the_current_state_then_every_change()
    {
        _h.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        using var stop = new CancellationTokenSource(Wait.Limit);
        var states = new List<string>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task watching = Task.Run(async () =>
        {
            await foreach (VarlinkReply reply in _h.StreamAsync("""{"method":"io.gpdaemon.Vpn.Watch","more":true}""", Stranger, stop.Token))
            {
                Assert.True(reply.Continues);
                states.Add(StatusOf(reply).State);
                first.TrySetResult();
                if (states.Count == 3)
                {
                    return;
                }
            }
        });
        await Wait.For(first.Task);

        await _h.CallOneAsync(ConnectCall, Member);
        await _h.Backend.NextLoginAsync();
        await _h.Controller.DisconnectAsync(Wait.Token());
        await Wait.For(watching);

        Assert.Equal(["Disconnected", "Authenticating", "Disconnecting"], states);
    }
}
