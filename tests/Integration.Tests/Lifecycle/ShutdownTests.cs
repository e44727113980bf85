using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>SIGTERM in every state: a clean exit, no openconnect left, no stale lock; and a lock that survives tampering.</summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData("hang", "Authenticating")]
    [InlineData("portal-mfa", "NeedsInput")]
    [InlineData("slow", "Connecting")]
    [InlineData("password", "Connected")]
    public async Task SigtermInAnyState_ExitsCleanly_WithNoOpenconnectAndNoLockLeft(string scenario, string state)
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(scenario, scenario == "slow" ? ["--delay-ms", "4000"] : []);
        (TempDirectory dir, FakePortal fake, DaemonProcess daemon) = vpn;
        await using (VpnClient client = await daemon.ClientAsync())
        {
            // Start without waiting; then wait for the state under test.
            await foreach (VpnStatus _ in client.ConnectAsync(new ConnectParameters(fake.Address, "test", "secret"), follow: false, Deadline.Token()))
            {
            }
        }
        await daemon.WaitForStatusAsync(s => s.State == state, TimeSpan.FromSeconds(60));

        Assert.Equal(0, await daemon.TerminateAsync(TimeSpan.FromSeconds(40)));
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        Assert.False(File.Exists(daemon.PidFile));
        Assert.False(File.Exists(daemon.SocketPath));
        if (state == "Connected")
        {
            await fake.WaitForEventAsync("logout");
        }
        // And the next start is immediate.
        await using DaemonProcess next = await DaemonProcess.StartReadyAsync(dir.Path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThePidFileDeletedOrReplacedWhileRunning_StillOnlyOneDaemon_AndTheFileComesBack(bool replace)
    {
        using var dir = new TempDirectory();
        await using DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path);
        File.Delete(first.PidFile);
        if (replace)
        {
            File.WriteAllText(first.PidFile, "12345\n");
        }
        await using DaemonProcess second = DaemonProcess.Start(dir.Path);
        Assert.Equal(3, await second.WaitForExitAsync());
        Assert.Contains("already running", second.Output);
        Assert.Equal(first.Pid, (await first.StatusAsync()).DaemonPid);

        // The daemon restores the file, then logs it: wait for both (bounded only against a hang).
        await Poll.UntilAsync(
            () => Task.FromResult(File.Exists(first.PidFile) && Files.ReadShared(first.PidFile).Trim() == $"{first.Pid}"
                && first.Output.Contains("was deleted or replaced; restored it", StringComparison.Ordinal)),
            done => done, "the pid file to come back", _ => first.Output, TimeSpan.FromSeconds(30));
        Assert.Equal($"{first.Pid}", Files.ReadShared(first.PidFile).Trim());
        Assert.Contains("was deleted or replaced; restored it", first.Output);
    }
}
