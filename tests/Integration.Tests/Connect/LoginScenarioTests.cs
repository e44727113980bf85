using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Connect;

/// <summary>
/// Every fake portal scenario driven through a real daemon by gpctl, with the real openconnect bringing the tunnel up
/// where the login succeeds.
/// </summary>
public sealed class LoginScenarioTests
{
    private sealed class Setup : IAsyncDisposable
    {
        public required TempDirectory Dir { get; init; }
        public required FakePortal Fake { get; init; }
        public required DaemonProcess Daemon { get; init; }

        public static async Task<Setup> StartAsync(string scenario, string daemonConfig = "", params string[] fakeArgs)
        {
            var dir = new TempDirectory();
            FakePortal fake = await FakePortal.StartAsync(scenario, fakeArgs);
            DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config(daemonConfig));
            return new Setup { Dir = dir, Fake = fake, Daemon = daemon };
        }

        public Task<ProcessResult> ConnectAsync(string stdin, params string[] extra) =>
            Run.GpctlWithInputAsync(Daemon.SocketPath, stdin, ["connect", Fake.Address, "--user", "test", "--passwd-on-stdin", .. extra]);

        public async ValueTask DisposeAsync()
        {
            await Daemon.DisposeAsync();
            await Fake.DisposeAsync();
            Dir.Dispose();
        }
    }

    private static async Task AssertConnectedVia(Setup setup, ProcessResult result, string gatewayName)
    {
        Assert.True(result.ExitCode == 0, result + "\n" + setup.Daemon.Output);
        Assert.Contains($"Connected to {setup.Fake.Address} via {gatewayName}, 10.99.0.2", result.Stdout);
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal(gatewayName, status.Gateway?.Name);
        Assert.Equal("test", status.User);
        await setup.Fake.WaitForEventAsync("tunnel-connect");
    }

    [Fact]
    public async Task PasswordOnly()
    {
        await using Setup setup = await Setup.StartAsync("password");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        Assert.Contains("auth=password", await setup.Fake.WaitForEventAsync("gateway-login"));
    }

    [Fact]
    public async Task PortalMfa_TheOneTimeCodeComesFromTheNextLine()
    {
        await using Setup setup = await Setup.StartAsync("portal-mfa");
        ProcessResult result = await setup.ConnectAsync("secret\n123456\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        await setup.Fake.WaitForEventAsync("challenge");
    }

    [Fact]
    public async Task GatewayMfa()
    {
        await using Setup setup = await Setup.StartAsync("gateway-mfa");
        ProcessResult result = await setup.ConnectAsync("secret\n123456\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        Assert.Contains("auth=otp", await setup.Fake.WaitForEventAsync("gateway-login"));
    }

    [Fact]
    public async Task AWrongOneTimeCode_IsAnAuthenticationFailure()
    {
        await using Setup setup = await Setup.StartAsync("portal-mfa");
        ProcessResult result = await setup.ConnectAsync("secret\n000000\n");
        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Equal("Failed", (await setup.Daemon.StatusAsync()).State);
    }

    [Theory]
    [InlineData("US", "US East")]
    [InlineData("DE", "Europe")]
    [InlineData("JP", "US West")]
    public async Task SeveralGateways_TheRegionsPriorityRuleChooses(string region, string expected)
    {
        await using Setup setup = await Setup.StartAsync("multi-gateway", "", "--region", region);
        ProcessResult result = await setup.ConnectAsync("secret\n");
        await AssertConnectedVia(setup, result, expected);
        string field = expected.Contains(' ') ? $"gateway=\"{expected}\"" : $"gateway={expected} ";
        Assert.Contains(field, await setup.Fake.WaitForEventAsync("gateway-login") + " ");
    }

    [Fact]
    public async Task SeveralGateways_TheUserCanNameOne()
    {
        await using Setup setup = await Setup.StartAsync("multi-gateway", "", "--region", "US");
        ProcessResult result = await setup.ConnectAsync("secret\n", "--gateway", "europe");
        await AssertConnectedVia(setup, result, "Europe");
    }

    [Fact]
    public async Task PortalCookie_TheGatewayAcceptsItWithoutThePassword()
    {
        await using Setup setup = await Setup.StartAsync("portal-cookie");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        Assert.Contains("auth=portal-cookie", await setup.Fake.WaitForEventAsync("gateway-login"));
    }

    [Fact]
    public async Task GatewayRejectsTheCookie_FallsBackToGatewayPreloginAndPassword()
    {
        await using Setup setup = await Setup.StartAsync("gateway-rejects-cookie");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        await setup.Fake.WaitForEventAsync("gateway-prelogin");
        Assert.Contains("auth=password", await setup.Fake.WaitForEventAsync("gateway-login"));
    }

    [Fact]
    public async Task PortalIsOnlyAGateway_TheHostIsUsedAsTheGateway()
    {
        await using Setup setup = await Setup.StartAsync("gateway-only");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        Assert.True(result.ExitCode == 0, result + setup.Daemon.Output);
        Assert.Equal("Connected", (await setup.Daemon.StatusAsync()).State);
        await setup.Fake.WaitForEventAsync("gateway-prelogin");
    }

    [Theory]
    [InlineData("wrong-password")]
    [InlineData("status-error")]
    public async Task AWrongPassword_IsAuthenticationFailed_Exit5_AndTheNextConnectWorks(string scenario)
    {
        await using Setup setup = await Setup.StartAsync(scenario);
        ProcessResult result = await setup.ConnectAsync("not-the-password\n");
        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("authentication failed", result.Stderr);
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Failed", status.State);
        Assert.False(string.IsNullOrEmpty(status.Message));
        Assert.DoesNotContain("not-the-password", setup.Daemon.Output);
        if (scenario == "status-error")
        {
            // The same daemon accepts the next Connect, and this time the right password.
            await AssertConnectedVia(setup, await setup.ConnectAsync("secret\n"), "Fake Gateway");
        }
    }

    [Fact]
    public async Task AGatewayRefusingThePortalsPassword_AsksForItsOwn_InItsOwnWords()
    {
        await using Setup setup = await Setup.StartAsync("password", "", "--gateway-password", "gw-passcode");
        ProcessResult result = await setup.ConnectAsync("secret\ngw-passcode\n");
        await AssertConnectedVia(setup, result, "Fake Gateway");
        Assert.Contains("where=gateway", await setup.Fake.WaitForEventAsync("login-failed"));
    }

    [Fact]
    public async Task AGatewayRefusingThePortalsPassword_WithInputEnded_IsAuthenticationFailed_Exit5()
    {
        await using Setup setup = await Setup.StartAsync("password", "", "--gateway-password", "gw-passcode");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        Assert.True(result.ExitCode == 5, result + "\n" + setup.Daemon.Output);
        Assert.Contains("the gateway asks", result.Stderr);
        Assert.DoesNotContain("the portal asks", result.Stderr);
        Assert.Contains("This gateway needs its own passcode", result.Stderr);
        await setup.Daemon.WaitForStatusAsync(s => s.State is "Disconnected" or "Failed");
    }

    [Theory]
    [InlineData("malformed", "malformed")]
    [InlineData("http500", "500")]
    public async Task ABrokenPortal_EndsFailedWithAClearMessage(string scenario, string expected)
    {
        await using Setup setup = await Setup.StartAsync(scenario);
        ProcessResult result = await setup.ConnectAsync("secret\n");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.OrdinalIgnoreCase);
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Failed", status.State);
        Assert.Contains(expected, status.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AHangingPortal_TimesOut_AndTheDaemonTakesTheNextConnect()
    {
        await using Setup setup = await Setup.StartAsync("hang", "[client]\nrequest_timeout = 2");
        ProcessResult result = await setup.ConnectAsync("secret\n");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("did not answer", result.Stderr);
        Assert.Equal("Failed", (await setup.Daemon.StatusAsync()).State);

        // Ready for the next one: a new attempt starts (and hangs again at the same portal).
        ProcessResult again = await Run.GpctlWithInputAsync(setup.Daemon.SocketPath, "secret\n", "connect", setup.Fake.Address, "--user", "test", "--passwd-on-stdin", "--no-wait");
        Assert.True(again.ExitCode == 0, again.ToString());
        await setup.Fake.WaitForEventAsync("prelogin", occurrence: 2);
    }

    [Fact]
    public async Task ASlowPortal_StillConnects()
    {
        await using Setup setup = await Setup.StartAsync("slow", "", "--delay-ms", "300");
        await AssertConnectedVia(setup, await setup.ConnectAsync("secret\n"), "Fake Gateway");
    }

    [Fact]
    public async Task WithoutAPasswordAndWithoutATerminal_GpctlSaysHowToGiveOne()
    {
        await using Setup setup = await Setup.StartAsync("password");
        ProcessResult result = await Run.GpctlAsync(setup.Daemon.SocketPath, "connect", setup.Fake.Address, "--user", "test");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--passwd-on-stdin", result.Stderr);
        // gpctl does not leave the daemon waiting for an answer that will never come.
        await setup.Daemon.WaitForStatusAsync(s => s.State == "Disconnected");
    }

    [Fact]
    public async Task ThePromptCarriesThePortalsOwnLabel()
    {
        await using Setup setup = await Setup.StartAsync("portal-mfa");
        await using VpnClient client = await setup.Daemon.ClientAsync();
        await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters(setup.Fake.Address, "test", "secret"), follow: true, Deadline.Token()))
        {
            if (status.Prompt is { } prompt)
            {
                Assert.Equal("NeedsInput", status.State);
                Assert.True(prompt.Secret);
                Assert.False(string.IsNullOrWhiteSpace(prompt.Message));
                await using VpnClient side = await setup.Daemon.ClientAsync();
                await side.SubmitInputAsync(prompt.Id, "123456", Deadline.Token());
            }
            if (status.State == "Connected")
            {
                return;
            }
        }
        Assert.Fail("the connect stream ended before Connected");
    }
}
