using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class PasswordLoginTests : FlowTestBase
{
    [Fact]
    public async Task Password_login_returns_the_openconnect_cookie_for_the_gateway()
    {
        var server = new FakeGpServer();
        var progress = new RecordingProgress();

        var result = await LoginAsync(server, Request(), progress: progress);

        Assert.Equal("authcookie=a1b2c3d4e5f6&portal=GP-Portal&user=alice&domain=%28empty_domain%29&computer=testbox", result.OpenConnectCookie);
        Assert.Equal(new GatewayInfo("US East", "gw1.example.com", 1), result.Gateway);
        Assert.Equal([result.Gateway], result.Gateways);
        Assert.Equal("vpn.example.com", result.Portal);
        Assert.Equal("alice", result.User);
        Assert.Equal("US", result.Region);
        Assert.Equal(
            ["vpn.example.com/global-protect/prelogin.esp", "vpn.example.com/global-protect/getconfig.esp", "gw1.example.com/ssl-vpn/login.esp"],
            Steps(server));
        Assert.Equal(
            [LoginStage.PortalPrelogin, LoginStage.PortalConfig, LoginStage.GatewaySelected, LoginStage.GatewayLogin, LoginStage.Done],
            progress.Stages);
        Assert.Equal(result.Gateway, progress.Reports.Single(r => r.Stage == LoginStage.GatewaySelected).Gateway);
    }

    [Fact]
    public async Task Requests_follow_the_protocol_doc()
    {
        var server = new FakeGpServer();

        await LoginAsync(server, Request());

        var prelogin = server.Requests[0];
        Assert.Equal("POST", prelogin.Method);
        Assert.Equal("tmp=tmp&clientVer=4100&clientos=Linux", prelogin.Query);
        // The parameters official clients send for sign-in in the system browser (docs/globalprotect-protocol.md section 6).
        Assert.Matches(
            "^tmp=tmp&clientVer=4100&clientos=Linux&os-version=linux-64&host-id=[0-9a-f-]{36}&ipv6-support=yes&default-browser=1&cas-support=yes$",
            prelogin.Body);
        Assert.Equal("application/x-www-form-urlencoded", prelogin.ContentType);
        Assert.All(server.Requests, r => Assert.Equal("PAN GlobalProtect", r.UserAgent));

        var getconfig = server.Requests[1];
        Assert.Equal("application/x-www-form-urlencoded", getconfig.ContentType);
        Assert.Equal(FormBody("vpn.example.com", "user=alice&passwd=correct%20horse"), getconfig.Body);

        var login = server.Requests[2];
        Assert.Equal("application/x-www-form-urlencoded", login.ContentType);
        Assert.Equal(FormBody("gw1.example.com", "user=alice&passwd=correct%20horse"), login.Body);
    }

    [Fact]
    public async Task Missing_user_and_password_are_asked_with_the_portal_labels()
    {
        var server = new FakeGpServer { UsernameLabel = "Corporate ID", PasswordLabel = "Passcode" };
        var prompter = new RecordingPrompter(p => p.Kind == LoginPromptKind.Username ? User : Password);

        var result = await LoginAsync(server, Request(user: null, password: null), prompter);

        Assert.Equal(
            [new LoginPrompt(LoginPromptKind.Username, "Corporate ID", false), new LoginPrompt(LoginPromptKind.Password, "Passcode", true)],
            prompter.Prompts);
        Assert.Equal("alice", result.User);
        // The password typed once serves the gateway too.
        Assert.Equal("correct horse", server.To("/ssl-vpn/login.esp").Single().Field("passwd"));
    }

    [Fact]
    public async Task Http_cookies_are_kept_across_the_requests_of_a_login()
    {
        var server = new FakeGpServer { HttpSessionCookie = "PHPSESSID=s3ss10n" };

        await LoginAsync(server, Request());

        Assert.Null(server.Requests[0].Cookie);
        Assert.Equal("PHPSESSID=s3ss10n", server.Requests[1].Cookie);
    }

    [Fact]
    public async Task Each_login_starts_without_cookies()
    {
        var server = new FakeGpServer { HttpSessionCookie = "PHPSESSID=s3ss10n" };
        var client = server.CreateClient();

        await client.LoginAsync(Request(), RecordingPrompter.None(), null, Deadline.Token());
        await client.LoginAsync(Request(), RecordingPrompter.None(), null, Deadline.Token());

        Assert.Null(server.Requests[3].Cookie);
    }

    [Fact]
    public async Task Session_carries_what_a_later_login_needs()
    {
        var server = new FakeGpServer { PortalCookie = "PORTALCOOKIE", PrelogonCookie = "PRELOGON" };

        var result = await LoginAsync(server, Request());

        var session = result.Session;
        Assert.Equal("vpn.example.com", session.Portal);
        Assert.Equal("alice", session.User);
        Assert.Equal("PORTALCOOKIE", session.PortalUserAuthCookie);
        Assert.Equal("PRELOGON", session.PortalPrelogonUserAuthCookie);
        Assert.Equal(result.Gateway, session.Gateway);
        Assert.Equal(result.Gateways, session.Gateways);
        Assert.Equal(result.OpenConnectCookie, session.OpenConnectCookie);
        Assert.True(session.SavedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Portal_given_as_url_with_port_is_normalized()
    {
        var server = new FakeGpServer { Portal = "vpn.example.com:8443" };

        var result = await LoginAsync(server, new LoginRequest("https://VPN.example.com:8443/global-protect", User, Password, null));

        Assert.Equal("vpn.example.com:8443", result.Portal);
        Assert.Equal("vpn.example.com:8443", server.Requests[0].Authority);
        Assert.Equal("vpn.example.com", server.Requests[1].Field("server"));
    }
}
