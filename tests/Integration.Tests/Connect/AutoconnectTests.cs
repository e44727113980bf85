using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Connect;

/// <summary>Boot-time autoconnect: the daemon connects by itself, with the password from a credential or a private file.</summary>
public sealed class AutoconnectTests
{
    private static string Config(FakePortal fake, string extra) => fake.Config($"""
        portal = "{fake.Address}"
        user = "test"
        autoconnect = true
        {extra}
        """);

    private static Task WaitForLogAsync(DaemonProcess daemon, string text) =>
        Poll.UntilAsync(() => Task.FromResult(daemon.Output), output => output.Contains(text, StringComparison.Ordinal),
            $"the daemon to log '{text}'", output => output, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task WithAPrivatePasswordFile_ItReachesConnectedWithNoCommand()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        VpnStatus status = await daemon.WaitForStatusAsync(s => s.State == "Connected");
        Assert.Equal(fake.Address, status.Portal);
        Assert.Equal("10.99.0.2", status.Ipv4);
    }

    [Fact]
    public async Task ASystemdCredentialWinsOverThePasswordFile()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        Directory.CreateDirectory(dir.Combine("credentials"));
        File.WriteAllText(dir.Combine("credentials", "password"), "secret");
        string passwordFile = dir.WritePrivate("password", "wrong\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""),
            new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = dir.Combine("credentials") });
        await daemon.WaitForStatusAsync(s => s.State == "Connected");
        Assert.Equal(0, fake.Count("login-failed"));
    }

    [Fact]
    public async Task AGatewayAskingForItsOwnPassword_WaitsForAnAnswer_SayingTheGatewayAsks()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password", "--gateway-password", "gw-passcode");
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        // Nobody may be there at boot: the gateway's own question waits for `gpctl connect` to join and answer it.
        VpnStatus status = await daemon.WaitForStatusAsync(s => s is { State: "NeedsInput", Prompt: not null });
        Assert.Equal(PromptSource.Gateway, status.Prompt!.From);
        Assert.Contains("This gateway needs its own passcode", status.Prompt.Message);
    }

    [Fact]
    public async Task APasswordFileOthersCanRead_IsRefusedWithAMessage_AndTheLoginWaitsForAPassword()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        string passwordFile = dir.Combine("password");
        File.WriteAllText(passwordFile, "secret\n");
        File.SetUnixFileMode(passwordFile, (UnixFileMode)0x1a4); // 0644
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        // Nobody may be there at boot: the attempt waits (bounded) for `gpctl connect` to join and answer.
        VpnStatus status = await daemon.WaitForStatusAsync(s => s is { State: "NeedsInput", Prompt: not null });
        Assert.Equal("Password", status.Prompt!.Message);
        Assert.Contains("readable by others", daemon.Output);
        Assert.Equal(1, fake.Count("prelogin"));
        Assert.Equal(0, fake.Count("login-failed"));
    }

    [Fact]
    public async Task AWrongPassword_IsRefusedByThePortalOnce_AndNeverRetried()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        string passwordFile = dir.WritePrivate("password", "not-the-password\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        VpnStatus status = await daemon.WaitForStatusAsync(s => s.State == "Failed");
        Assert.Contains("refused", status.Message);
        // The loop has ended (it logs why and what to do): nothing is left that could try the password again.
        await WaitForLogAsync(daemon, "Fix the credentials");
        Assert.Contains("bad-password", Assert.Single(fake.EventsNamed("login-failed")));
        Assert.Equal(1, fake.Count("prelogin"));
        Assert.DoesNotContain("retrying in", daemon.Output);
        Assert.DoesNotContain("not-the-password", daemon.Output);
    }

    [Fact]
    public async Task AOneTimeCodePromptAtBoot_WaitsForAnAnswer_WithThePortalsQuestion()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("portal-mfa");
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        VpnStatus status = await daemon.WaitForStatusAsync(s => s.State is "Failed" or "NeedsInput");
        Assert.True(status.State == "NeedsInput", status + daemon.Output);
        Assert.Equal("Enter the code from your authenticator", status.Prompt!.Message);
        Assert.Equal(1, fake.Count("challenge"));
        Assert.Equal(1, fake.Count("prelogin"));
    }

    [Fact]
    public async Task AtBoot_TheSavedPortalCookieSignsIn_WithNoPasswordConfigured()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("portal-cookie");
        await SavedSessionTests.LogInWithThePasswordAndStopAsync(dir, fake);

        // The next boot: autoconnect, and neither a credential nor a password_file.
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, ""));
        VpnStatus status = await daemon.WaitForStatusAsync(s => s.State is "Connected" or "Failed");
        Assert.True(status.State == "Connected", status + daemon.Output);
        Assert.Contains("auth=portal-cookie password=no", await fake.WaitForEventAsync("portal-config", occurrence: 2));
        Assert.Equal(0, fake.Count("login-failed"));
    }

    [Fact]
    public async Task AUsersOwnConnect_EndsAutoconnect()
    {
        using var dir = new TempDirectory();
        SharedCertificate.Write(dir.Combine("shared.pfx"));
        await using FakePortal down = await FakePortal.StartAsync("http500", "--cert", dir.Combine("shared.pfx"));
        await using FakePortal other = await FakePortal.StartAsync("password", "--cert", dir.Combine("shared.pfx"));
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(down, $"password_file = \"{passwordFile}\""));
        await daemon.WaitForStatusAsync(s => s.State == "Failed"); // autoconnect failed and waits to retry

        // The user connects elsewhere (both fakes have one certificate, so the configured servercert holds for both).
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", other.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        await WaitForLogAsync(daemon, "Autoconnect stands down");
        int attempts = down.Count("prelogin");
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal(other.Address, status.Portal);
        Assert.Equal("Connected", status.State);
        Assert.Equal(attempts, down.Count("prelogin"));
    }

    [Fact]
    public async Task APortalErrorAtBoot_IsRetried_UntilAUserTakesOver()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("http500");
        string passwordFile = dir.WritePrivate("password", "secret\n");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        await fake.WaitForEventAsync("prelogin", occurrence: 2);
        Assert.Equal("Failed", (await daemon.WaitForStatusAsync(s => s.State == "Failed")).State);
        ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.Equal(0, disconnect.ExitCode);
        // Autoconnect notices when its retry comes due, and stands down instead of trying.
        await WaitForLogAsync(daemon, "Autoconnect stands down");
        int attempts = fake.Count("prelogin");
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);
        Assert.Equal(attempts, fake.Count("prelogin"));
    }
}
