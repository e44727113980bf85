using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>SIGHUP (systemctl reload) rereads the config without touching a working tunnel.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Reload_KeepsTheTunnel_AndAppliesTheNewSettings()
    {
        using var dir = new TempDirectory();
        await TestUsers.EnsureAsync();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.Equal(0, connect.ExitCode);
        VpnStatus before = await daemon.StatusAsync();

        // Let the control group's members in, and change the client identity (a connection setting).
        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config($"control_group = \"{TestUsers.ControlGroup}\"\n[client]\ncomputer = \"renamed\""));
        Signals.Send(daemon.Pid, 1 /* SIGHUP */);
        await WaitForLogAsync(daemon, "Configuration reloaded");

        VpnStatus after = await daemon.StatusAsync();
        Assert.Equal("Connected", after.State);
        Assert.Equal(before.OpenconnectPid, after.OpenconnectPid);
        Assert.Equal(before.ConnectedSince, after.ConnectedSince);
        Assert.Contains("apply from the next connect", daemon.Output);
        ProcessResult member = await TestUsers.GpctlAsAsync(TestUsers.Member, daemon.SocketPath, "disconnect");
        Assert.True(member.ExitCode == 0, member.ToString());
    }

    [Fact]
    public async Task ABrokenConfig_IsRefused_AndTheDaemonKeepsRunning()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, "log_level = \"info\"\n");
        File.WriteAllText(dir.Combine("gpdaemon.toml"), "log_level = = broken\n");
        Signals.Send(daemon.Pid, 1);
        await WaitForLogAsync(daemon, "Configuration not reloaded");
        Assert.False(daemon.HasExited);
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);
    }

    private static async Task WaitForLogAsync(DaemonProcess daemon, string text)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never logged:\n{daemon.Output}");
            await Task.Delay(50);
        }
    }
}
