using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Systemd;

/// <summary>What systemd hears from the daemon over NOTIFY_SOCKET: READY=1, STATUS=, WATCHDOG=1, STOPPING=1.</summary>
public sealed class NotifyTests
{
    [Fact]
    public async Task ReadyArrivesOnlyOnceTheSocketAccepts_ThenStatus_ThenStoppingOnSigterm()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Combine("notify.sock"));
        await using DaemonProcess daemon = DaemonProcess.Start(dir.Path, environment: new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });

        await notify.WaitForAsync(line => line == "READY=1");
        // The moment READY=1 is out, a client must get in: no retry here.
        await using (VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Deadline.Token()))
        {
            Assert.Equal("Disconnected", (await client.GetStatusAsync(Deadline.Token())).State);
        }

        // A state change is announced: connecting to a closed port goes Authenticating, then Failed.
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "pw\n", "connect", "127.0.0.1:1", "--user", "u", "--passwd-on-stdin");
        Assert.NotEqual(0, connect.ExitCode);
        (_, string authenticating) = await notify.WaitForAsync(line => line.StartsWith("STATUS=Authenticating to 127.0.0.1:1", StringComparison.Ordinal));
        (_, string failed) = await notify.WaitForAsync(line => line.StartsWith("STATUS=Failed (127.0.0.1:1)", StringComparison.Ordinal));
        Assert.Contains("STATUS=", authenticating);
        Assert.DoesNotContain("\nSTATUS=Connected", failed);

        Signals.Send(daemon.Pid, Signals.SIGTERM);
        await notify.WaitForAsync(line => line == "STOPPING=1");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task ReadyIsNotSentWhenTheDaemonCannotStart()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Combine("notify.sock"));
        await using DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path);
        await using DaemonProcess second = DaemonProcess.Start(dir.Path, environment: new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });
        Assert.Equal(3, await second.WaitForExitAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notify.NextAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task WatchdogPingsArriveAtAboutHalfTheInterval()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Combine("notify.sock"));
        const int intervalMs = 2000;
        await using DaemonProcess daemon = DaemonProcess.Start(dir.Path, environment: new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = $"{intervalMs * 1000}",
        });
        var pings = new List<DateTime>();
        while (pings.Count < 5)
        {
            (DateTime at, _) = await notify.WaitForAsync(line => line == "WATCHDOG=1");
            pings.Add(at);
        }
        double[] gaps = [.. pings.Zip(pings.Skip(1), (a, b) => (b - a).TotalMilliseconds).Order()];
        double median = gaps[gaps.Length / 2];
        // Half the interval, with room for a loaded machine: well inside the timeout, clearly not a busy loop.
        Assert.InRange(median, intervalMs * 0.3, intervalMs * 0.8);
    }

    [Fact]
    public async Task NoWatchdogPings_WhenWatchdogPidNamesAnotherProcess()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Combine("notify.sock"));
        await using DaemonProcess daemon = DaemonProcess.Start(dir.Path, environment: new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "200000",
            ["WATCHDOG_PID"] = "1",
        });
        await notify.WaitForAsync(line => line == "READY=1");
        await Task.Delay(1000);
        while (true)
        {
            try
            {
                (_, string message) = await notify.NextAsync(TimeSpan.FromMilliseconds(100));
                Assert.DoesNotContain("WATCHDOG=1", message);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
