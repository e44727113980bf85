using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class PortalCookieTests : FlowTestBase
{
    private static SavedSession Saved(string cookie, string portal = Portal, string user = User) =>
        new(portal, user, cookie, null, [new GatewayInfo("US East", "gw1.example.com", 1)], null, DateTimeOffset.UtcNow.AddHours(-1));

    [Fact]
    public async Task Gateway_login_uses_the_portal_cookie_instead_of_the_password()
    {
        var server = new FakeGpServer { PortalCookie = "PC-123", PrelogonCookie = "PL-9" };

        await LoginAsync(server, Request());

        var login = server.To("/ssl-vpn/login.esp").Single();
        Assert.Equal(
            FormBody("gw1.example.com", "portal-userauthcookie=PC-123&portal-prelogonuserauthcookie=PL-9&user=alice&passwd="),
            login.Body);
        Assert.Empty(server.To("/ssl-vpn/prelogin.esp"));
    }

    [Fact]
    public async Task Refused_portal_cookie_falls_back_to_gateway_prelogin_and_the_password()
    {
        var server = new FakeGpServer { PortalCookie = "PC-123", GatewayAcceptsPortalCookie = false };
        var progress = new RecordingProgress();

        var result = await LoginAsync(server, Request(), progress: progress);

        Assert.Equal(
            [
                "vpn.example.com/global-protect/prelogin.esp", "vpn.example.com/global-protect/getconfig.esp",
                "gw1.example.com/ssl-vpn/login.esp", "gw1.example.com/ssl-vpn/prelogin.esp", "gw1.example.com/ssl-vpn/login.esp",
            ],
            Steps(server));
        var last = server.Requests[^1];
        Assert.False(last.Has("portal-userauthcookie"));
        Assert.Equal("correct horse", last.Field("passwd"));
        Assert.Contains(LoginStage.GatewayPrelogin, progress.Stages);
        Assert.Equal("alice", result.User);
    }

    [Fact]
    public async Task Gateway_with_its_own_password_is_asked_with_its_own_label()
    {
        var server = new FakeGpServer { GatewayPassword = "gateway-secret", GatewayPasswordLabel = "Gateway PIN" };
        var prompter = new RecordingPrompter(_ => "gateway-secret");

        await LoginAsync(server, Request(), prompter);

        // The gateway's own refusal and label, and the prompt says that the gateway asks.
        Assert.Equal([new LoginPrompt(LoginPromptKind.Password, "Invalid username or password. Gateway PIN", true) { FromGateway = true }], prompter.Prompts);
        Assert.Equal("gateway-secret", server.Requests[^1].Field("passwd"));
    }

    [Fact]
    public async Task Gateway_refusing_the_asked_password_too_fails_authentication()
    {
        var server = new FakeGpServer { GatewayPassword = "gateway-secret", Refusal = RefusalForm.StatusError };

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => LoginAsync(server, Request(), new RecordingPrompter(_ => "wrong")));

        Assert.Equal("gateway US East (gw1.example.com) refused the login for alice: Invalid username or password", ex.Message);
    }

    [Fact]
    public async Task Saved_portal_cookie_is_tried_first_and_needs_no_password()
    {
        var server = new FakeGpServer { PortalCookie = "PC-NEW", AcceptedPortalCookies = ["PC-OLD"] };

        var result = await LoginAsync(server, Request(user: null, password: null, saved: Saved("PC-OLD")));

        var getconfig = server.To("/global-protect/getconfig.esp").Single();
        Assert.Equal(FormBody("vpn.example.com", "portal-userauthcookie=PC-OLD&user=alice&passwd="), getconfig.Body);
        Assert.Equal("PC-NEW", server.To("/ssl-vpn/login.esp").Single().Field("portal-userauthcookie"));
        Assert.Equal("PC-NEW", result.Session.PortalUserAuthCookie);
        Assert.Equal("alice", result.User);
    }

    [Fact]
    public async Task A_saved_session_of_another_user_is_never_sent()
    {
        var server = new FakeGpServer { AcceptedPortalCookies = ["PC-ALICE"] };
        var prompter = new RecordingPrompter(_ => Password);

        // Bob is asked for his password (which this portal then refuses: it knows only alice); alice's cookie is never sent.
        await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => LoginAsync(server, Request(user: "Bob", password: null, saved: Saved("PC-ALICE", user: "alice")), prompter));

        Assert.Equal([new LoginPrompt(LoginPromptKind.Password, "Password", true)], prompter.Prompts);
        Assert.NotEmpty(server.Requests);
        Assert.DoesNotContain(server.Requests, r => r.Has("portal-userauthcookie"));
    }

    [Fact]
    public async Task Saved_cookie_stays_in_use_when_the_portal_issues_no_new_one()
    {
        var server = new FakeGpServer { AcceptedPortalCookies = ["PC-OLD"], GatewayAcceptsPortalCookie = false };
        var prompter = new RecordingPrompter(_ => Password);

        var result = await LoginAsync(server, Request(password: null, saved: Saved("PC-OLD")), prompter);

        // The gateway refused the portal cookie and no password was known: it is asked for once, by the gateway.
        Assert.Equal([new LoginPrompt(LoginPromptKind.Password, "Password", true) { FromGateway = true }], prompter.Prompts);
        Assert.Equal("PC-OLD", server.To("/ssl-vpn/login.esp").First().Field("portal-userauthcookie"));
        Assert.Equal("PC-OLD", result.Session.PortalUserAuthCookie);
    }

    [Fact]
    public async Task Expired_saved_cookie_leads_to_a_password_prompt()
    {
        var server = new FakeGpServer { PortalCookie = "PC-NEW" };
        var prompter = new RecordingPrompter(_ => Password);

        var result = await LoginAsync(server, Request(password: null, saved: Saved("PC-EXPIRED")), prompter);

        Assert.Equal([new LoginPrompt(LoginPromptKind.Password, "Password", true)], prompter.Prompts);
        var getconfigs = server.To("/global-protect/getconfig.esp").ToList();
        Assert.Equal("PC-EXPIRED", getconfigs[0].Field("portal-userauthcookie"));
        Assert.False(getconfigs[1].Has("portal-userauthcookie"));
        Assert.Equal(Password, getconfigs[1].Field("passwd"));
        Assert.Equal("PC-NEW", result.Session.PortalUserAuthCookie);
    }

    [Fact]
    public async Task A_saved_cookie_the_portal_honours_spares_the_given_password_and_its_one_time_code()
    {
        var server = new FakeGpServer
        {
            AcceptedPortalCookies = ["PC-OLD"],
            PortalChallenge = new FakeChallenge(ChallengeForm.Script, "Enter the code", "in1", "123456"),
        };
        var prompter = new RecordingPrompter(_ => "123456");

        await LoginAsync(server, Request(saved: Saved("PC-OLD")), prompter);

        Assert.Empty(prompter.Prompts);
        Assert.Equal("PC-OLD", server.To("/global-protect/getconfig.esp").Single().Field("portal-userauthcookie"));
    }

    [Fact]
    public async Task With_the_password_given_the_saved_cookie_still_goes_first_and_an_expired_one_costs_one_request()
    {
        var server = new FakeGpServer { PortalCookie = "PC-NEW" };

        var result = await LoginAsync(server, Request(saved: Saved("PC-EXPIRED")));

        // The cookie spares a one-time code on portals that ask for one; once refused, the given password follows.
        var getconfigs = server.To("/global-protect/getconfig.esp").ToList();
        Assert.Equal(2, getconfigs.Count);
        Assert.Equal("PC-EXPIRED", getconfigs[0].Field("portal-userauthcookie"));
        Assert.Equal(Password, getconfigs[1].Field("passwd"));
        Assert.Equal("PC-NEW", result.Session.PortalUserAuthCookie);
    }

    [Fact]
    public async Task Known_portal_with_a_given_password_gets_the_getconfig_without_waiting_for_the_prelogin()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeGpServer
        {
            // The prelogin is answered only once the getconfig has arrived: it must have been sent without waiting.
            Override = async (r, ct) =>
            {
                if (r.Path == "/global-protect/getconfig.esp")
                {
                    gate.TrySetResult();
                }
                else if (r.Path == "/global-protect/prelogin.esp")
                {
                    await gate.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                }
                return null;
            },
        };

        var result = await LoginAsync(server, Request(saved: Saved("PC-OLD")), timeout: TimeSpan.FromSeconds(30));

        // No cookie was accepted (PC-OLD is unknown here): the early cookie getconfig, then the password.
        var getconfigs = server.To("/global-protect/getconfig.esp").ToList();
        Assert.Equal("PC-OLD", getconfigs[0].Field("portal-userauthcookie"));
        Assert.Equal(Password, getconfigs[^1].Field("passwd"));
        Assert.Equal("alice", result.User);
    }

    [Fact]
    public async Task Saml_portal_refusing_the_saved_cookie_asks_for_the_browser_and_no_password_is_sent()
    {
        var server = new FakeGpServer { Saml = true, PortalCookie = "PC-NEW" };
        var callback = "globalprotectcallback:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"<saml-auth-status>1</saml-auth-status><saml-username>{User}</saml-username><prelogin-cookie>{server.SamlCookie}</prelogin-cookie>"));
        var prompter = new RecordingPrompter(_ => callback);

        var result = await LoginAsync(server, Request(password: null, saved: Saved("PC-OLD")), prompter);

        Assert.Equal(User, result.User);
        Assert.Equal(LoginPromptKind.BrowserSignIn, Assert.Single(prompter.Prompts).Kind);
        var getconfigs = server.To("/global-protect/getconfig.esp").ToArray();
        Assert.Equal(2, getconfigs.Length);
        Assert.Equal("PC-OLD", getconfigs[0].Field("portal-userauthcookie"));
        Assert.Equal(server.SamlCookie, getconfigs[1].Field("prelogin-cookie"));
        Assert.All(getconfigs, r => Assert.Equal("", r.Field("passwd") ?? ""));
    }

    [Fact]
    public async Task Saved_session_of_another_portal_is_ignored()
    {
        var server = new FakeGpServer { AcceptedPortalCookies = ["PC-OLD"] };

        await LoginAsync(server, Request(saved: Saved("PC-OLD", portal: "other.example.com")));

        Assert.False(server.To("/global-protect/getconfig.esp").Single().Has("portal-userauthcookie"));
    }
}
