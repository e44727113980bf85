using System.Globalization;
using System.Text.Json;
using GpControl;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// The enabled service at boot: autoconnect with a credential, and recovery when the daemon dies or hangs. "Exactly
/// one tunnel" is counted as openconnect processes in the container.
/// </summary>
public sealed class BootAutoconnectTests(BootContainerFixture fixture) : IClassFixture<BootContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    private SystemdContainer Container => fixture.Container;

    private FakePortal Fake => fixture.Fake;

    [Fact]
    public async Task EnabledService_ConnectsAtBoot_WithThePasswordFromASystemdCredential()
    {
        await WaitForConnectedAsync();

        Assert.Equal("enabled", (await Container.SystemctlAsync("is-enabled", Unit)).Stdout.Trim());
        ProcessResult status = await Container.ExecAsync(StagedInstall.Ctl, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        // The state directory starts empty, so the first login had to use the password, which only the credential has.
        Assert.Contains("user=test", (await Fake.WaitForEventAsync("portal-config")), StringComparison.Ordinal);
        Assert.Contains("auth=password", (await Fake.WaitForEventAsync("gateway-login")), StringComparison.Ordinal);

        // The password is in no log line and no command line.
        ProcessResult journal = await Container.ExecAsync("journalctl", "--no-pager", "--output=json");
        Assert.True(journal.ExitCode == 0, journal.ToString());
        Assert.DoesNotContain(Fake.Password, journal.Stdout, StringComparison.Ordinal);
        ProcessResult processes = await Container.ExecAsync("ps", "-e", "-o", "args=");
        Assert.DoesNotContain(Fake.Password, processes.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledDaemon_IsRestarted_AndEndsWithExactlyOneTunnel()
    {
        (string oldPid, int oldRestarts) = await WaitForConnectedAsync();

        ProcessResult kill = await Container.SystemctlAsync("kill", "--kill-who=main", "--signal=SIGKILL", Unit);
        Assert.True(kill.ExitCode == 0, kill.ToString());

        await WaitForRestartAsync(oldPid, oldRestarts);
        await AssertExactlyOneTunnelAsync();
    }

    [Fact]
    public async Task HungDaemon_IsRestartedByTheWatchdog_AndEndsWithExactlyOneTunnel()
    {
        (string oldPid, int oldRestarts) = await WaitForConnectedAsync();
        string invocation = await Container.ShowAsync(Unit, "InvocationID");

        ProcessResult stop = await Container.SystemctlAsync("kill", "--kill-who=main", "--signal=SIGSTOP", Unit);
        Assert.True(stop.ExitCode == 0, stop.ToString());

        await WaitForRestartAsync(oldPid, oldRestarts);
        // systemd's own lines about that run of the unit carry its INVOCATION_ID.
        IReadOnlyList<IReadOnlyDictionary<string, string>> managerLines = await Container.JournalAsync(Unit, "INVOCATION_ID=" + invocation);
        Assert.Contains(managerLines, e => e.GetValueOrDefault("MESSAGE", "").Contains("Watchdog timeout", StringComparison.Ordinal));
        await AssertExactlyOneTunnelAsync();
    }

    /// <summary>Waits for the service's STATUS= to say Connected; returns the main pid and restart count then.</summary>
    private async Task<(string MainPid, int Restarts)> WaitForConnectedAsync()
    {
        await Poll.UntilAsync(() => Container.ShowAsync(Unit, "StatusText"),
            text => text.StartsWith($"Connected to {Fake.Address}", StringComparison.Ordinal), "the service to report Connected");
        return (await Container.ShowAsync(Unit, "MainPID"), int.Parse(await Container.ShowAsync(Unit, "NRestarts"), CultureInfo.InvariantCulture));
    }

    private async Task WaitForRestartAsync(string oldPid, int oldRestarts)
    {
        await Poll.UntilAsync(
            async () => (Pid: await Container.ShowAsync(Unit, "MainPID"), Restarts: int.Parse(await Container.ShowAsync(Unit, "NRestarts"), CultureInfo.InvariantCulture),
                Status: await Container.ShowAsync(Unit, "StatusText")),
            s => s.Pid != oldPid && s.Pid != "0" && s.Restarts > oldRestarts && s.Status.StartsWith($"Connected to {Fake.Address}", StringComparison.Ordinal),
            "systemd to restart the daemon and the new daemon to reconnect on its own");
    }

    private async Task AssertExactlyOneTunnelAsync()
    {
        ProcessResult json = await Container.ExecAsync(StagedInstall.Ctl, "status", "--json");
        Assert.True(json.ExitCode == 0, json + await Container.DescribeAsync(Unit));
        VpnStatus status = JsonSerializer.Deserialize(json.Stdout, ControlJsonContext.Default.VpnStatus) ?? throw new InvalidOperationException(json.Stdout);

        IReadOnlyList<int> openconnect = await Container.ProcessesAsync("openconnect");

        Assert.Equal([status.OpenconnectPid ?? -1], openconnect);
        ProcessResult address = await Container.ExecAsync("ip", "-brief", "address", "show", "dev", fixture.Interface);
        Assert.True(address.ExitCode == 0 && address.Stdout.Contains(Fake.TunnelAddress + "/32", StringComparison.Ordinal), address.ToString());
    }
}
