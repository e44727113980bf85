using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class FailureTests : FlowTestBase
{
    [Theory]
    [InlineData(nameof(RefusalForm.Http512), "portal vpn.example.com refused the login for alice: Invalid username or password")]
    [InlineData(nameof(RefusalForm.StatusError), "portal vpn.example.com refused the login for alice: Invalid username or password")]
    [InlineData(nameof(RefusalForm.Script), "portal vpn.example.com refused the login for alice: Authentication failed: Invalid username or password")]
    public async Task Wrong_password_fails_authentication_in_every_form(string form, string message)
    {
        var server = new FakeGpServer { Refusal = Enum.Parse<RefusalForm>(form) };

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(() => LoginAsync(server, Request(password: "wrong")));

        Assert.Equal(message, ex.Message);
        Assert.Empty(server.To("/ssl-vpn/login.esp"));
    }

    [Theory]
    [InlineData("/global-protect/prelogin.esp", "portal prelogin: vpn.example.com answered HTTP 500")]
    [InlineData("/global-protect/getconfig.esp", "portal getconfig: vpn.example.com answered HTTP 500")]
    [InlineData("/ssl-vpn/login.esp", "gateway login: gw1.example.com answered HTTP 500")]
    public async Task Http_500_is_a_portal_error_naming_server_and_step(string path, string message)
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == path ? new FakeResponse(500, "oops", "text/plain") : null),
        };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request()));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Malformed_portal_config_is_a_protocol_error()
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == "/global-protect/getconfig.esp"
                ? FakeResponse.Xml("<policy><gateways><external><list><entry name=\"gw\">")
                : null),
        };

        var ex = await Assert.ThrowsAsync<GlobalProtectException>(() => LoginAsync(server, Request()));

        Assert.IsType<GlobalProtectException>(ex);
        Assert.StartsWith("portal getconfig: malformed XML where <policy> was expected", ex.Message);
    }

    [Fact]
    public async Task Html_instead_of_a_jnlp_is_a_protocol_error()
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(r.Path == "/ssl-vpn/login.esp"
                ? FakeResponse.Xml("<html><body>maintenance</body></html>")
                : null),
        };

        var ex = await Assert.ThrowsAsync<GlobalProtectException>(() => LoginAsync(server, Request()));

        Assert.Equal("gateway login: expected <jnlp>, got <html>", ex.Message);
    }

    [Fact]
    public async Task Unanswered_request_times_out_naming_server_and_step()
    {
        var server = new FakeGpServer
        {
            Override = async (r, ct) =>
            {
                if (r.Path == "/global-protect/getconfig.esp")
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return null;
            },
        };

        var ex = await Assert.ThrowsAsync<PortalException>(
            () => LoginAsync(server, Request(), timeout: TimeSpan.FromSeconds(1.5)));

        Assert.Equal("portal getconfig: vpn.example.com did not answer within 1.5 s", ex.Message);
    }

    [Fact]
    public async Task Cancellation_is_not_reported_as_a_timeout()
    {
        using var cancel = new CancellationTokenSource();
        var server = new FakeGpServer
        {
            Override = async (r, ct) =>
            {
                if (r.Path == "/global-protect/getconfig.esp")
                {
                    await cancel.CancelAsync();
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return null;
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => LoginAsync(server, Request(), timeout: TimeSpan.FromMinutes(5), cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task Unreachable_server_is_a_portal_error()
    {
        var server = new FakeGpServer
        {
            Override = (_, _) => throw new HttpRequestException("Connection refused (vpn.example.com:443)"),
        };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request()));

        Assert.Equal("portal prelogin: cannot reach vpn.example.com: Connection refused (vpn.example.com:443)", ex.Message);
    }

    [Fact]
    public async Task Prelogin_refusal_is_a_portal_error_with_the_server_message()
    {
        var server = new FakeGpServer
        {
            Override = (r, _) => Task.FromResult<FakeResponse?>(FakeResponse.Xml(Gp.PreloginError("Clients from this OS are not allowed"))),
        };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request()));

        Assert.Equal("portal vpn.example.com refused the prelogin: Clients from this OS are not allowed", ex.Message);
    }

    [Fact]
    public async Task Bad_servercert_setting_is_reported_before_any_request()
    {
        var server = new FakeGpServer();
        var client = new GlobalProtectClient(new ClientIdentity(), new TlsSettings(ServerCertPin: "sha1:abcdef"), TimeSpan.FromSeconds(5), server.CreateHandler);

        var ex = await Assert.ThrowsAsync<GlobalProtectException>(
            () => client.LoginAsync(Request(), RecordingPrompter.None(), null, Deadline.Token()));

        Assert.Equal("servercert 'sha1:abcdef' is not of the form pin-sha256:BASE64 (SHA-256 of the public key)", ex.Message);
        Assert.Empty(server.Requests);
    }
}
