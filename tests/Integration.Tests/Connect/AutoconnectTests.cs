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

    [Fact]
    public async Task WithAPrivatePasswordFile_ItReachesConnectedWithNoCommand()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        string passwordFile = dir.Combine("password");
        File.WriteAllText(passwordFile, "secret\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
        string passwordFile = dir.Combine("password");
        File.WriteAllText(passwordFile, "wrong\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""),
            new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = dir.Combine("credentials") });
        await daemon.WaitForStatusAsync(s => s.State == "Connected");
        Assert.Equal(0, fake.Count("login-failed"));
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
    public async Task APortalErrorAtBoot_IsRetried_UntilAUserTakesOver()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("http500");
        string passwordFile = dir.Combine("password");
        File.WriteAllText(passwordFile, "secret\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config(fake, $"password_file = \"{passwordFile}\""));
        await fake.WaitForEventAsync("prelogin", occurrence: 2);
        Assert.Equal("Failed", (await daemon.WaitForStatusAsync(s => s.State == "Failed")).State);
        ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.Equal(0, disconnect.ExitCode);
        int attempts = fake.Count("prelogin");
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal(attempts, fake.Count("prelogin"));
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);
    }
}
