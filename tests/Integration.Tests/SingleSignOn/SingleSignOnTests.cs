using System.Text;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.SingleSignOn;

/// <summary>
/// Single sign-on through gpctl and the real daemon, openconnect and fake portal, without a browser: the headless
/// paste path, the desktop handler's command (gpctl callback), joining from another terminal, autoconnect at boot,
/// and each refusal.
/// </summary>
public sealed class SingleSignOnTests
{
    private sealed class Setup : IAsyncDisposable
    {
        public required VpnScenario Vpn { get; init; }
        public required IdentityProvider Idp { get; init; }

        public FakePortal Fake => Vpn.Fake;

        public DaemonProcess Daemon => Vpn.Daemon;

        public string SecretsFile => Vpn.SecretsFile;

        public static async Task<Setup> StartAsync(string scenario, string daemonConfig = "")
        {
            VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions { Scenario = scenario, RecordSecrets = true, Config = _ => daemonConfig });
            return new Setup { Vpn = vpn, Idp = new IdentityProvider(vpn.Fake) };
        }

        public InteractiveGpctl Connect(params string[] extra) =>
            InteractiveGpctl.Start(Daemon.SocketPath, null, null, ["connect", Fake.Address, .. extra]);

        public Task<VpnStatus> WaitForSignInAsync(string? notId = null) =>
            Daemon.WaitForStatusAsync(s => s is { State: "NeedsInput", Prompt: { Kind: "browser" } p } && p.Id != notId);

        /// <summary>No cookie the fake issued appears in the daemon's log or in gpctl's output.</summary>
        public void AssertNoSecretIn(params string[] texts)
        {
            string[] secrets = File.Exists(SecretsFile) ? [.. File.ReadAllLines(SecretsFile).Select(l => l.Split(' ')[1])] : [];
            Assert.NotEmpty(secrets);
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, Daemon.Output);
                foreach (string text in texts)
                {
                    Assert.DoesNotContain(secret, text);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Idp.Dispose();
            await Vpn.DisposeAsync();
        }
    }

    private static string Base64Callback(string document) =>
        "globalprotectcallback:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(document));

    [Fact]
    public async Task Headless_ThePastedLinkOnStdin_SignsIn_AndTheTunnelComesUp()
    {
        await using Setup setup = await Setup.StartAsync("saml");
        await using InteractiveGpctl gpctl = setup.Connect("--passwd-on-stdin");
        await gpctl.WriteLineAsync(""); // no password: single sign-on

        VpnStatus waiting = await setup.WaitForSignInAsync();
        Assert.Equal("Waiting for sign-in: run gpctl connect", waiting.Summary());
        Assert.NotNull(waiting.Prompt!.Expires);
        string url = waiting.Prompt.Url!;
        Assert.StartsWith($"https://{setup.Fake.Address}/fake-idp/login", url);
        await gpctl.WaitForOutputAsync(url);
        Assert.Contains("Not opening a browser", gpctl.Stderr);

        FinalPage page = await setup.Idp.SignInAsync(url);
        await gpctl.WriteLineAsync(page.Callback!);

        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
        Assert.Contains($"Connected to {setup.Fake.Address}", gpctl.Stdout);
        Assert.Contains("auth=portal-cookie", await setup.Fake.WaitForEventAsync("gateway-login"));
        await setup.Fake.WaitForEventAsync("tunnel-connect");
        Assert.Equal("test", (await setup.Daemon.StatusAsync()).User);
        setup.AssertNoSecretIn(gpctl.Stdout, gpctl.Stderr);
    }

    [Fact]
    public async Task AResultThePortalRefuses_AsksForANewSignIn_AndTheNextOneConnects()
    {
        await using Setup setup = await Setup.StartAsync("saml");
        await using InteractiveGpctl gpctl = setup.Connect("--passwd-on-stdin");
        await gpctl.WriteLineAsync("");
        VpnStatus first = await setup.WaitForSignInAsync();

        // A well-formed result whose cookie the portal does not take, as a stale one from an earlier attempt's tab.
        await gpctl.WriteLineAsync(Base64Callback(
            "<saml-auth-status>1</saml-auth-status><saml-username>test</saml-username><prelogin-cookie>stale-result-0000</prelogin-cookie>"));
        VpnStatus again = await setup.WaitForSignInAsync(notId: first.Prompt!.Id);
        Assert.Contains("refused that sign-in", again.Prompt!.Message);
        Assert.Contains("bad-prelogin-cookie", await setup.Fake.WaitForEventAsync("login-failed"));

        FinalPage page = await setup.Idp.SignInAsync(again.Prompt.Url!);
        await gpctl.WriteLineAsync(page.Callback!);
        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
        Assert.Contains($"Connected to {setup.Fake.Address}", gpctl.Stdout);
        setup.AssertNoSecretIn(gpctl.Stdout, gpctl.Stderr);
    }

    [Fact]
    public async Task TheDesktopHandlersCommand_CompletesTheSignIn_AndBadResultsLeaveItWaiting()
    {
        await using Setup setup = await Setup.StartAsync("saml");
        await using InteractiveGpctl gpctl = setup.Connect(); // stdin not a terminal, no --passwd-on-stdin: waits for the callback
        VpnStatus waiting = await setup.WaitForSignInAsync();

        ProcessResult garbage = await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", "globalprotectcallback:!!garbage!!");
        Assert.Equal(1, garbage.ExitCode);
        Assert.Contains("the sign-in result was not accepted", garbage.Stderr);

        ProcessResult failed = await Run.GpctlAsync(setup.Daemon.SocketPath, "callback",
            Base64Callback("<saml-auth-status>-1</saml-auth-status><saml-username>test</saml-username>"));
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("the identity provider did not sign you in (saml-auth-status -1)", failed.Stderr);

        VpnStatus still = await setup.Daemon.StatusAsync();
        Assert.Equal("NeedsInput", still.State);
        Assert.Equal(waiting.Prompt!.Id, still.Prompt?.Id);

        FinalPage page = await setup.Idp.SignInAsync(waiting.Prompt.Url!);
        ProcessResult callback = await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", page.Callback!);
        Assert.True(callback.ExitCode == 0, callback.ToString());
        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
        Assert.Equal("Connected", (await setup.Daemon.StatusAsync()).State);

        // The same link again, now that nothing waits: refused, and the tunnel is untouched.
        ProcessResult late = await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", page.Callback!);
        Assert.Equal(1, late.ExitCode);
        Assert.Contains("no sign-in is waiting", late.Stderr);
        Assert.Equal("Connected", (await setup.Daemon.StatusAsync()).State);
        Assert.Contains("A sign-in result was refused", setup.Daemon.Output);
        setup.AssertNoSecretIn(callback.Stdout, callback.Stderr, late.Stderr);
    }

    [Fact]
    public async Task AnotherUsersCallback_IsRefused_AndTheSignInKeepsWaiting()
    {
        await TestUsers.EnsureAsync();
        await using Setup setup = await Setup.StartAsync("saml", $"control_group = \"{TestUsers.ControlGroup}\"");
        await using InteractiveGpctl gpctl = setup.Connect();
        VpnStatus waiting = await setup.WaitForSignInAsync();
        FinalPage page = await setup.Idp.SignInAsync(waiting.Prompt!.Url!);

        ProcessResult other = await TestUsers.GpctlAsAsync(TestUsers.Member, setup.Daemon.SocketPath, "callback", page.Callback!);

        Assert.Equal(1, other.ExitCode);
        Assert.Contains("is not yours", other.Stderr);
        Assert.Equal(waiting.Prompt.Id, (await setup.Daemon.StatusAsync()).Prompt?.Id);
        Assert.Equal(0, (await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", page.Callback!)).ExitCode);
        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl.ToString());
    }

    [Fact]
    public async Task ASignInNotCompletedInTime_FailsWithAClearMessage()
    {
        await using Setup setup = await Setup.StartAsync("saml", "[client]\nsign_in_timeout = 2");
        ProcessResult result = await Run.GpctlWithInputAsync(setup.Daemon.SocketPath, "\n", "connect", setup.Fake.Address, "--passwd-on-stdin");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("the sign-in in the browser was not completed within 2 seconds: run gpctl connect again", result.Stderr);
        Assert.Equal("Failed", (await setup.Daemon.StatusAsync()).State);
        ProcessResult late = await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", "globalprotectcallback:whatever");
        Assert.Contains("no sign-in is waiting", late.Stderr);
    }

    [Fact]
    public async Task ConnectFromAnotherTerminal_JoinsTheWaitingSignIn_AndCompletesIt()
    {
        await using Setup setup = await Setup.StartAsync("saml");
        await using InteractiveGpctl first = setup.Connect();
        VpnStatus waiting = await setup.WaitForSignInAsync();
        FinalPage page = await setup.Idp.SignInAsync(waiting.Prompt!.Url!);

        // Naming a portal is a new connect, still refused while one exists; without arguments, connect joins it.
        ProcessResult named = await Run.GpctlWithInputAsync(setup.Daemon.SocketPath, "\n", "connect", setup.Fake.Address, "--passwd-on-stdin");
        Assert.Equal(4, named.ExitCode);
        ProcessResult second = await Run.GpctlWithInputAsync(setup.Daemon.SocketPath, page.Callback + "\n", "connect", "--passwd-on-stdin");

        Assert.True(second.ExitCode == 0, second + setup.Daemon.Output);
        Assert.Contains("Joining the connection", second.Stdout);
        Assert.Contains($"Connected to {setup.Fake.Address}", second.Stdout);
        Assert.True(await first.WaitForExitAsync() == 0, first.ToString());
        Assert.Equal(1, setup.Fake.Count("portal-config"));
    }

    [Fact]
    public async Task CtrlC_CancelsTheWaitingAttempt()
    {
        await using Setup setup = await Setup.StartAsync("saml");
        await using InteractiveGpctl gpctl = setup.Connect();
        await setup.WaitForSignInAsync();
        await gpctl.WaitForOutputAsync("Not opening a browser");

        Signals.Send(gpctl.Pid, 2); // SIGINT, as Ctrl-C

        Assert.Equal(1, await gpctl.WaitForExitAsync());
        Assert.Contains("cancelled; the connection attempt was stopped", gpctl.Stderr);
        Assert.Equal("Disconnected", (await setup.Daemon.WaitForStatusAsync(s => s.State is "Disconnected" or "Failed")).State);
    }

    [Theory]
    [InlineData("saml-cas")]
    [InlineData("saml-header")]
    public async Task TheCasLink_AndTheHeaderFormsBareCookie_AreAccepted(string scenario)
    {
        await using Setup setup = await Setup.StartAsync(scenario);
        await using InteractiveGpctl gpctl = setup.Connect("--user", "test", "--passwd-on-stdin");
        await gpctl.WriteLineAsync("");
        VpnStatus waiting = await setup.WaitForSignInAsync();

        FinalPage page = await setup.Idp.SignInAsync(waiting.Prompt!.Url!);
        if (scenario == "saml-cas")
        {
            Assert.StartsWith("globalprotectcallback:cas-as=1&un=test&token=", page.Callback);
        }
        await gpctl.WriteLineAsync(scenario == "saml-cas" ? page.Callback! : page.Cookie!);

        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
        Assert.Equal("Connected", (await setup.Daemon.StatusAsync()).State);
    }

    [Fact]
    public async Task AGatewayWithItsOwnSignIn_AsksTheBrowserTwice()
    {
        await using Setup setup = await Setup.StartAsync("saml-gateway");
        await using InteractiveGpctl gpctl = setup.Connect();
        VpnStatus portal = await setup.WaitForSignInAsync();
        Assert.Contains("portal", portal.Prompt!.Message);
        Assert.Equal(0, (await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", (await setup.Idp.SignInAsync(portal.Prompt.Url!)).Callback!)).ExitCode);

        VpnStatus gateway = await setup.WaitForSignInAsync(notId: portal.Prompt.Id);
        Assert.Contains("gateway", gateway.Prompt!.Message);
        Assert.Equal(0, (await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", (await setup.Idp.SignInAsync(gateway.Prompt.Url!)).Callback!)).ExitCode);

        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
        Assert.Contains("auth=prelogin-cookie", await setup.Fake.WaitForEventAsync("gateway-login"));
    }

    [Fact]
    public async Task AnExpiredPortalCookie_AsksTheBrowserAgain_ASavedOneSkipsIt()
    {
        await using Setup setup = await Setup.StartAsync("saml-expiry");
        for (int round = 1; round <= 2; round++)
        {
            await using InteractiveGpctl gpctl = setup.Connect();
            VpnStatus waiting = await setup.WaitForSignInAsync();
            Assert.Equal(0, (await Run.GpctlAsync(setup.Daemon.SocketPath, "callback", (await setup.Idp.SignInAsync(waiting.Prompt!.Url!)).Callback!)).ExitCode);
            Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + setup.Daemon.Output);
            Assert.Equal(0, (await Run.GpctlAsync(setup.Daemon.SocketPath, "disconnect")).ExitCode);
        }
        // The second round tried the saved cookie first, and the portal refused it.
        Assert.Contains("reason=cookie-expired", await setup.Fake.WaitForEventAsync("login-failed"));
        Assert.Equal(2, setup.Fake.EventsNamed("saml-idp").Count(e => e.Contains("result=ok")));
    }

    [Fact]
    public async Task Autoconnect_WaitsForASignInAtBoot_AndGpctlConnectCompletesIt()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("saml");
        using var idp = new IdentityProvider(fake);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config($"""
            portal = "{fake.Address}"
            autoconnect = true
            """));
        VpnStatus waiting = await daemon.WaitForStatusAsync(s => s is { State: "NeedsInput", Prompt.Kind: "browser" });
        Assert.Equal("Waiting for sign-in: run gpctl connect", waiting.Summary());
        FinalPage page = await idp.SignInAsync(waiting.Prompt!.Url!);

        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, page.Callback + "\n", "connect", "--passwd-on-stdin");

        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        Assert.Contains("Joining the connection", connect.Stdout);
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
    }

    [Fact]
    public async Task Autoconnect_WaitsForAOneTimeCodeAtBoot_AndGpctlConnectAnswersIt()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("portal-mfa");
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config($"""
            portal = "{fake.Address}"
            user = "test"
            autoconnect = true
            password_file = "{passwordFile}"
            """));
        VpnStatus waiting = await daemon.WaitForStatusAsync(s => s is { State: "NeedsInput", Prompt: not null });
        Assert.Contains("authenticator", waiting.Prompt!.Message);

        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "123456\n", "connect", "--passwd-on-stdin");

        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
    }
}
