using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class GatewayOnlyTests : FlowTestBase
{
    [Fact]
    public async Task Host_that_is_no_portal_is_logged_in_to_as_a_gateway()
    {
        var server = new FakeGpServer { PortalExists = false };
        var progress = new RecordingProgress();

        var result = await LoginAsync(server, Request(), progress: progress);

        Assert.Equal(
            ["vpn.example.com/global-protect/prelogin.esp", "vpn.example.com/ssl-vpn/prelogin.esp", "vpn.example.com/ssl-vpn/login.esp"],
            Steps(server));
        Assert.Equal(FormBody("vpn.example.com", "user=alice&passwd=correct%20horse"), server.Requests[^1].Body);
        Assert.Equal(new GatewayInfo("vpn.example.com", "vpn.example.com", null), result.Gateway);
        Assert.Equal([result.Gateway], result.Gateways);
        Assert.Null(result.Session.PortalUserAuthCookie);
        Assert.StartsWith("authcookie=a1b2c3d4e5f6&", result.OpenConnectCookie);
        Assert.Equal(
            [LoginStage.PortalPrelogin, LoginStage.GatewayPrelogin, LoginStage.GatewaySelected, LoginStage.GatewayLogin, LoginStage.Done],
            progress.Stages);
    }

    [Fact]
    public async Task Password_is_asked_with_the_gateway_label()
    {
        var server = new FakeGpServer { PortalExists = false, GatewayPasswordLabel = "Token" };
        var prompter = new RecordingPrompter(_ => Password);

        await LoginAsync(server, Request(password: null), prompter);

        Assert.Equal([new LoginPrompt(LoginPromptKind.Password, "Token", true) { FromGateway = true }], prompter.Prompts);
    }

    [Fact]
    public async Task Portal_missing_at_getconfig_also_switches_to_the_gateway()
    {
        var server = new FakeGpServer { PortalMissingAtGetConfig = true, GatewayHosts = [Portal] };

        var result = await LoginAsync(server, Request());

        Assert.Equal(
            [
                "vpn.example.com/global-protect/prelogin.esp", "vpn.example.com/global-protect/getconfig.esp",
                "vpn.example.com/ssl-vpn/prelogin.esp", "vpn.example.com/ssl-vpn/login.esp",
            ],
            Steps(server));
        Assert.Equal("vpn.example.com", result.Gateway.Address);
    }

    [Fact]
    public async Task Wrong_password_at_a_gateway_only_host_fails_without_a_second_prompt()
    {
        var server = new FakeGpServer { PortalExists = false };

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(() => LoginAsync(server, Request(password: "nope")));

        Assert.Equal("gateway vpn.example.com refused the login for alice: Invalid username or password", ex.Message);
    }

    [Fact]
    public async Task Host_that_is_neither_portal_nor_gateway_is_reported()
    {
        var neither = new FakeGpServer
        {
            PortalExists = false,
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == "/ssl-vpn/prelogin.esp"
                ? FakeResponse.Xml(Gp.PreloginError("GlobalProtect gateway does not exist"))
                : null),
        };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(neither, Request()));

        Assert.Equal("vpn.example.com is neither a GlobalProtect portal nor a gateway", ex.Message);
    }

    [Fact]
    public async Task Named_gateway_must_be_the_host_itself()
    {
        var server = new FakeGpServer { PortalExists = false };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request(gateway: "elsewhere")));

        Assert.Equal("gateway 'elsewhere' is not offered; available gateways: vpn.example.com", ex.Message);
    }
}
