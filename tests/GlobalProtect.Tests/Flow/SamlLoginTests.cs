using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class SamlLoginTests : FlowTestBase
{
    private static string Callback(string user, string cookie) =>
        "globalprotectcallback:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"<html><!-- <saml-auth-status>1</saml-auth-status><saml-username>{user}</saml-username><prelogin-cookie>{cookie}</prelogin-cookie> --></html>"));

    [Fact]
    public async Task Portal_sign_in_in_the_browser_then_the_gateway_takes_the_portal_cookie()
    {
        var server = new FakeGpServer { Saml = true, PortalCookie = "portal-cookie-xyz" };
        var prompter = new RecordingPrompter(p => Callback(User, server.SamlCookie));

        var result = await LoginAsync(server, Request(user: null, password: null), prompter);

        Assert.Equal(User, result.User);
        var prompt = Assert.Single(prompter.Prompts);
        Assert.Equal(LoginPromptKind.BrowserSignIn, prompt.Kind);
        Assert.Equal(new BrowserSignIn(false, "https://idp.example.com/saml", null), prompt.SignIn);
        Assert.True(prompt.Secret);
        var getconfig = Assert.Single(server.To("/global-protect/getconfig.esp"));
        Assert.Equal(server.SamlCookie, getconfig.Field("prelogin-cookie"));
        Assert.Equal("", getconfig.Field("passwd"));
        Assert.Equal("portal-cookie-xyz", Assert.Single(server.To("/ssl-vpn/login.esp")).Field("portal-userauthcookie"));
    }

    [Fact]
    public async Task Prelogin_sends_the_external_browser_parameters()
    {
        var server = new FakeGpServer { Saml = true, PortalCookie = "portal-cookie-xyz" };

        await LoginAsync(server, Request(user: null, password: null), new RecordingPrompter(_ => Callback(User, server.SamlCookie)));

        var prelogin = server.To("/global-protect/prelogin.esp").First();
        Assert.Equal("1", prelogin.Field("default-browser"));
        Assert.Equal("yes", prelogin.Field("cas-support"));
        Assert.Equal("yes", prelogin.Field("ipv6-support"));
        Assert.Equal("Linux", prelogin.Field("clientos"));
        Assert.Equal("linux-64", prelogin.Field("os-version"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-", prelogin.Field("host-id"));
    }

    [Fact]
    public async Task A_gateway_that_refuses_the_portal_cookie_and_asks_for_saml_gets_a_second_sign_in()
    {
        var server = new FakeGpServer { Saml = true, GatewaySaml = true, PortalCookie = "portal-cookie-xyz", GatewayAcceptsPortalCookie = false };
        var prompter = new RecordingPrompter(p => Callback(User, server.SamlCookie));

        var result = await LoginAsync(server, Request(user: null, password: null), prompter);

        Assert.Equal(2, prompter.Prompts.Count);
        Assert.Equal("https://idp.example.com/gateway", prompter.Prompts[1].SignIn?.Request);
        Assert.Equal(server.SamlCookie, server.To("/ssl-vpn/login.esp").Last().Field("prelogin-cookie"));
        Assert.Equal("a1b2c3d4e5f6", result.Session.OpenConnectCookie?.Split('&')[0].Split('=')[1]);
    }

    [Fact]
    public async Task A_refused_result_asks_for_a_new_sign_in_and_the_next_one_is_taken()
    {
        // The first answer is a stale result (an earlier attempt's browser tab): the login asks again instead of ending.
        var server = new FakeGpServer { Saml = true, PortalCookie = "portal-cookie-xyz" };
        var answers = new Queue<string>([Callback(User, "stale-cookie-0000"), Callback(User, server.SamlCookie)]);
        var prompter = new RecordingPrompter(_ => answers.Dequeue());

        var result = await LoginAsync(server, Request(user: null, password: null), prompter);

        Assert.Equal(User, result.User);
        Assert.Equal(2, prompter.Prompts.Count);
        Assert.All(prompter.Prompts, p => Assert.Equal(LoginPromptKind.BrowserSignIn, p.Kind));
        Assert.Contains("refused that sign-in", prompter.Prompts[1].Message);
        Assert.DoesNotContain("stale-cookie", prompter.Prompts[1].Message);
        Assert.Equal([server.SamlCookie], server.To("/global-protect/getconfig.esp").Skip(1).Select(r => r.Field("prelogin-cookie")));
    }

    [Fact]
    public async Task Refused_sign_ins_end_the_login_after_three_naming_the_sign_in()
    {
        var server = new FakeGpServer { Saml = true };
        var prompter = new RecordingPrompter(_ => Callback(User, "stale-cookie-0000"));

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            LoginAsync(server, Request(user: null, password: null), prompter));

        Assert.Equal(3, prompter.Prompts.Count);
        Assert.StartsWith("portal vpn.example.com refused the sign-in for alice", ex.Message);
        Assert.DoesNotContain("stale-cookie", ex.Message);
    }

    [Fact]
    public async Task A_failed_sign_in_ends_the_login_before_getconfig()
    {
        var server = new FakeGpServer { Saml = true };
        var failed = "globalprotectcallback:" + Convert.ToBase64String("<saml-auth-status>-1</saml-auth-status>"u8.ToArray());

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            LoginAsync(server, Request(user: null, password: null), new RecordingPrompter(_ => failed)));

        Assert.Contains("did not sign you in", ex.Message);
        Assert.Empty(server.To("/global-protect/getconfig.esp"));
    }

    [Fact]
    public async Task A_saved_portal_cookie_skips_the_browser()
    {
        var server = new FakeGpServer { Saml = true, PortalCookie = "portal-cookie-xyz" };
        var saved = new SavedSession(Portal, User, "portal-cookie-xyz", null, [], null, DateTimeOffset.UtcNow);

        var result = await LoginAsync(server, Request(user: null, password: null, saved: saved));

        Assert.Equal(User, result.User);
    }

    [Fact]
    public async Task Gateway_only_host_with_saml_signs_in_at_the_gateway()
    {
        var server = new FakeGpServer { Saml = true, PortalExists = false };
        var prompter = new RecordingPrompter(_ => $"cas-as=1&un={User}&token={server.SamlCookie}");

        var result = await LoginAsync(server, Request(user: null, password: null), prompter);

        Assert.Equal(User, result.User);
        Assert.Equal(server.SamlCookie, server.To("/ssl-vpn/login.esp").Single().Field("prelogin-cookie"));
    }

    [Fact]
    public async Task A_redirect_to_something_other_than_a_web_url_is_refused()
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == "/global-protect/prelogin.esp"
                ? FakeResponse.Xml(Gp.Prelogin(samlMethod: "REDIRECT", samlRequest: Convert.ToBase64String("file:///etc/shadow"u8.ToArray())))
                : null),
        };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request(user: null, password: null)));

        Assert.Contains("not an https:// or http:// URL", ex.Message);
    }
}
