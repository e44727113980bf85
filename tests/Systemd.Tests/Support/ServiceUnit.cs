using GpDaemon.TestSupport;

namespace Systemd.Tests.Support;

/// <summary>What the service tests do with the installed gpdaemon.service in a container, asserting as they go.</summary>
internal static class ServiceUnit
{
    private const string Unit = StagedInstall.Unit;

    /// <summary>Stops the service and clears a failed state, so that a test starts from a stopped service.</summary>
    public static async Task ResetAsync(SystemdContainer container)
    {
        await container.SystemctlAsync("stop", Unit);
        await container.SystemctlAsync("reset-failed", Unit);
    }

    public static async Task StartAsync(SystemdContainer container)
    {
        ProcessResult start = await container.SystemctlAsync("start", Unit);
        Assert.True(start.ExitCode == 0, start + await container.DescribeAsync(Unit));
    }

    /// <summary>`gpctl connect` as root with the fake portal's password on stdin.</summary>
    public static Task<ProcessResult> ConnectAsync(SystemdContainer container, FakePortal fake) => container.ExecAsync(
        [StagedInstall.Ctl, "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin"], fake.Password + "\n");

    /// <summary>Waits until the unit's status text (sd_notify STATUS=) starts with <paramref name="prefix"/>.</summary>
    public static Task<string> WaitForStatusTextAsync(SystemdContainer container, string prefix) => Poll.UntilAsync(
        () => container.ShowAsync(Unit, "StatusText"), text => text.StartsWith(prefix, StringComparison.Ordinal), $"StatusText '{prefix}...'");
}
