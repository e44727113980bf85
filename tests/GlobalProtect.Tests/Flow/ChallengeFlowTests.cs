using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class ChallengeFlowTests : FlowTestBase
{
    [Fact]
    public async Task Portal_challenge_in_script_form_is_answered_with_the_code()
    {
        var server = new FakeGpServer
        {
            PortalChallenge = new FakeChallenge(ChallengeForm.Script, "Enter the code from your authenticator", "abcd1234", "654321"),
        };
        var prompter = new RecordingPrompter(_ => "654321");

        var result = await LoginAsync(server, Request(), prompter);

        Assert.Equal([new LoginPrompt(LoginPromptKind.Challenge, "Enter the code from your authenticator", true)], prompter.Prompts);
        var answer = server.To("/global-protect/getconfig.esp").Last();
        Assert.EndsWith("&inputStr=abcd1234&user=alice&passwd=654321", answer.Body);
        Assert.Equal(FormBody("vpn.example.com", "inputStr=abcd1234&user=alice&passwd=654321"), answer.Body);
        // The gateway gets the password, not the spent one-time code.
        Assert.Equal("correct horse", server.To("/ssl-vpn/login.esp").Single().Field("passwd"));
        Assert.StartsWith("authcookie=a1b2c3d4e5f6&", result.OpenConnectCookie);
    }

    [Fact]
    public async Task Gateway_challenge_in_xml_form_is_answered_with_the_code()
    {
        var server = new FakeGpServer
        {
            GatewayChallenge = new FakeChallenge(ChallengeForm.Xml, "Enter your RSA token", "ffee0011", "123456"),
        };
        var prompter = new RecordingPrompter(_ => "123456");
        var progress = new RecordingProgress();

        var result = await LoginAsync(server, Request(), prompter, progress);

        Assert.Equal([new LoginPrompt(LoginPromptKind.Challenge, "Enter your RSA token", true) { FromGateway = true }], prompter.Prompts);
        var logins = server.To("/ssl-vpn/login.esp").ToList();
        Assert.Equal(2, logins.Count);
        Assert.False(logins[0].Has("inputStr"));
        Assert.Equal("ffee0011", logins[1].Field("inputStr"));
        Assert.Equal("123456", logins[1].Field("passwd"));
        Assert.Equal(LoginStage.Done, progress.Stages.Last());
        Assert.Equal("gw1.example.com", result.Gateway.Address);
    }

    [Fact]
    public async Task Challenges_at_portal_and_gateway_each_get_their_own_prompt()
    {
        var server = new FakeGpServer
        {
            PortalChallenge = new FakeChallenge(ChallengeForm.Xml, "Portal code", "p1", "111111"),
            GatewayChallenge = new FakeChallenge(ChallengeForm.Script, "Gateway code", "g1", "222222"),
        };
        var prompter = new RecordingPrompter(p => p.Message == "Portal code" ? "111111" : "222222");

        await LoginAsync(server, Request(), prompter);

        Assert.Equal(["Portal code", "Gateway code"], prompter.Prompts.Select(p => p.Message));
    }

    [Fact]
    public async Task Wrong_one_time_code_fails_authentication()
    {
        var server = new FakeGpServer
        {
            PortalChallenge = new FakeChallenge(ChallengeForm.Script, "Code", "abcd1234", "654321"),
            Refusal = RefusalForm.Script,
        };

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => LoginAsync(server, Request(), new RecordingPrompter(_ => "000000")));

        Assert.Equal("portal vpn.example.com refused the one-time code: Authentication failed: Invalid username or password", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_stops_challenging_is_cut_off()
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == "/global-protect/getconfig.esp"
                ? FakeResponse.Text(Gp.ScriptChallenge("again", "x"))
                : null),
        };

        var ex = await Assert.ThrowsAsync<GlobalProtectException>(() => LoginAsync(server, Request(), new RecordingPrompter(_ => "1")));

        Assert.Contains("asked for more than", ex.Message);
    }
}
