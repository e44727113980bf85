using FakeGlobalProtect.Tests.Support;

namespace FakeGlobalProtect.Tests;

/// <summary>The real openconnect --authenticate against each login scenario of the real fake program.</summary>
public sealed class OpenConnectAuthenticateTests
{
    [Theory]
    [InlineData("password", "secret\n", "password")]
    [InlineData("portal-cookie", "secret\n", "portal-cookie")]
    [InlineData("portal-mfa", "secret\n123456\n", "portal-cookie")]
    [InlineData("gateway-mfa", "secret\n123456\n", "otp")]
    [InlineData("gateway-rejects-cookie", "secret\nsecret\n", "password")]
    [InlineData("status-error", "secret\n", "password")]
    public async Task Login_succeeds_and_prints_the_gateway_session_cookie(string scenario, string stdin, string auth)
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", scenario);

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, stdin);

        Assert.Equal(0, await openconnect.WaitForExitAsync());
        var cookie = OpenConnect.Value(openconnect, "COOKIE");
        Assert.NotNull(cookie);
        Assert.Matches("^authcookie=[0-9a-f]{32}&portal=fake-gateway&user=test&domain=[^&]+&preferred-ip=10.99.0.2&computer=", cookie);
        Assert.Equal("127.0.0.1", OpenConnect.Value(openconnect, "HOST"));
        Assert.Equal(fake.Pin, OpenConnect.Value(openconnect, "FINGERPRINT"));

        var login = await fake.WaitForEventAsync("gateway-login");
        Assert.Equal(auth, login["auth"]);
        Assert.Equal("test", login["user"]);
        Assert.Equal(fake.Address, login["address"]);
        Assert.Single(fake.EventsNamed("portal-config"));
    }

    [Fact]
    public async Task Mfa_scenarios_send_a_challenge_and_refuse_a_wrong_code()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "gateway-mfa");

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, "secret\n999999\n");

        Assert.NotEqual(0, await openconnect.WaitForExitAsync());
        Assert.Null(OpenConnect.Value(openconnect, "COOKIE"));
        var challenge = await fake.WaitForEventAsync("challenge");
        Assert.Equal("gateway", challenge["where"]);
        Assert.Equal("xml", challenge["format"]);
        Assert.Equal("bad-otp", (await fake.WaitForEventAsync("login-failed"))["reason"]);
        Assert.Empty(fake.EventsNamed("gateway-login"));
    }

    [Fact]
    public async Task Slow_replies_still_complete_the_login()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "slow", "--delay-ms", "300");

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, "secret\n");

        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.NotNull(OpenConnect.Value(openconnect, "COOKIE"));
        Assert.Equal("password", (await fake.WaitForEventAsync("gateway-login"))["auth"]);
    }

    [Fact]
    public async Task Gateway_only_server_is_logged_into_as_a_gateway()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "gateway-only");

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, "secret\n");

        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.NotNull(OpenConnect.Value(openconnect, "COOKIE"));
        Assert.Equal("no-portal", (await fake.WaitForEventAsync("prelogin"))["result"]);
        await fake.WaitForEventAsync("gateway-prelogin");
        Assert.Equal("password", (await fake.WaitForEventAsync("gateway-login"))["auth"]);
        Assert.DoesNotContain(fake.Events, e => e.Name == "portal-config" && e["result"] == "ok");
    }

    [Theory]
    [InlineData("US East", "127.0.0.1:{0}", "127.0.0.1")]
    [InlineData("US West", "[::ffff:127.0.0.1]:{0}", "[::ffff:127.0.0.1]")]
    [InlineData("Europe", "localhost:{0}", "127.0.0.1")]
    public async Task Multi_gateway_logs_which_gateway_openconnect_chose(string description, string addressFormat, string host)
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "multi-gateway");

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, "secret\n", "--authgroup", description);

        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.Equal(host, OpenConnect.Value(openconnect, "HOST"));
        Assert.Equal("3", (await fake.WaitForEventAsync("portal-config"))["gateways"]);
        var login = await fake.WaitForEventAsync("gateway-login");
        Assert.Equal(description, login["gateway"]);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, addressFormat, fake.Port), login["address"]);
    }

    [Theory]
    [InlineData("wrong-password", "secret\n", "User input required in non-interactive mode")]
    [InlineData("password", "not-the-password\n", "User input required in non-interactive mode")]
    [InlineData("status-error", "not-the-password\n", "Authentication failed: Invalid username or password")]
    [InlineData("http500", "secret\n", "Unexpected 500 result from server")]
    [InlineData("malformed", "secret\n", "Failed to parse server response")]
    [InlineData("saml", "secret\n", "SAML REDIRECT authentication is required")]
    public async Task Login_fails_with_the_scenario_s_error(string scenario, string stdin, string message)
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", scenario);

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, stdin);

        Assert.Equal(1, await openconnect.WaitForExitAsync());
        Assert.Null(OpenConnect.Value(openconnect, "COOKIE"));
        Assert.Contains(message, openconnect.Stdout + "\n" + openconnect.Stderr, StringComparison.Ordinal);
        Assert.Empty(fake.EventsNamed("gateway-login"));
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_512_and_never_printed()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "wrong-password", "--password", "s3cr3t-value");

        await using var openconnect = await OpenConnect.AuthenticateAsync(fake, "s3cr3t-value\n");

        Assert.Equal(1, await openconnect.WaitForExitAsync());
        Assert.Contains("512", openconnect.Stdout + openconnect.Stderr, StringComparison.Ordinal);
        var failed = await fake.WaitForEventAsync("login-failed");
        Assert.Equal("512", failed["status"]);
        Assert.Equal("portal", failed["where"]);
        Assert.DoesNotContain("s3cr3t-value", fake.Process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saml_login_completes_with_the_identity_provider_s_prelogin_cookie()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "saml");
        using var http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Tls.ServerCertificate.Pin(certificate) == fake.Pin,
        });
        using var form = await http.GetAsync($"https://{fake.Address}/fake-idp/login?SAMLRequest=x");
        Assert.Contains("name=\"password\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var page = await http.PostAsync($"https://{fake.Address}/fake-idp/login",
            new FormUrlEncodedContent([new("username", "test"), new("password", "secret")]));
        page.EnsureSuccessStatusCode();
        Assert.Equal("1", page.Headers.GetValues("saml-auth-status").Single());
        Assert.Equal("test", page.Headers.GetValues("saml-username").Single());
        var preloginCookie = page.Headers.GetValues("prelogin-cookie").Single();
        Assert.Contains($"<prelogin-cookie>{preloginCookie}</prelogin-cookie>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // openconnect 9.01 takes the SAML result as the "password" of the field named after the colon.
        await using var openconnect = await OpenConnect.StartAsync(
            ["--protocol=gp", "--authenticate", "--non-inter", "--passwd-on-stdin", "--servercert", fake.Pin, "-u", "test",
                $"https://{fake.Address}/portal:prelogin-cookie"],
            preloginCookie + "\n");

        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.NotNull(OpenConnect.Value(openconnect, "COOKIE"));
        Assert.Equal("saml", (await fake.WaitForEventAsync("prelogin"))["result"]);
        Assert.Equal("portal-cookie", (await fake.WaitForEventAsync("gateway-login"))["auth"]);
    }
}
