using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// The unit does not wait for network-online.target: while something holds that target back (at boot,
/// systemd-networkd-wait-online or NetworkManager-wait-online, up to minutes), the service is up and gpctl answers.
/// </summary>
public sealed class BootOrderTests(ServiceContainerFixture fixture) : IClassFixture<ServiceContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    // A stand-in for a wait-online service that never sees the network come up: ordered before network-online.target
    // and never finishing starting, so the target's start job waits as long as it runs.
    private const string HoldUnit = "gpdaemon-test-hold-online.service";

    private SystemdContainer Container => fixture.Container;

    [Fact]
    public async Task TheServiceStartsAndAnswersGpctl_WhileNetworkOnlineIsStillWaitedFor()
    {
        await ServiceUnit.ResetAsync(Container);
        await MustAsync(["sh", "-c", $"cat > /run/systemd/system/{HoldUnit}"], """
            [Unit]
            Description=Holds network-online.target back, as a wait-online service does without a network
            Before=network-online.target

            [Service]
            Type=oneshot
            ExecStart=/bin/sleep infinity
            """);
        await MustAsync(["systemctl", "daemon-reload"]);
        try
        {
            await MustAsync(["systemctl", "start", "--no-block", HoldUnit, "network-online.target"]);
            Assert.NotEqual("active", (await Container.SystemctlAsync("is-active", "network-online.target")).Stdout.Trim());

            // No-block: with the old ordering the start job would queue behind network-online.target for good.
            await MustAsync(["systemctl", "start", "--no-block", Unit]);
            ProcessResult status = await Poll.UntilAsync(() => Container.ExecAsync(StagedInstall.Ctl, "status"),
                r => r.ExitCode == 1 && r.Stdout.Contains("Disconnected", StringComparison.Ordinal), "gpctl status answering",
                timeout: TimeSpan.FromSeconds(60));
            Assert.Contains("Disconnected", status.Stdout, StringComparison.Ordinal);

            Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());
            Assert.NotEqual("active", (await Container.SystemctlAsync("is-active", "network-online.target")).Stdout.Trim());
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
            await Container.SystemctlAsync("stop", HoldUnit);
            await Container.ExecAsync("rm", "-f", $"/run/systemd/system/{HoldUnit}");
            await Container.SystemctlAsync("daemon-reload");
        }
    }

    private async Task MustAsync(string[] argv, string? stdin = null)
    {
        ProcessResult result = await Container.ExecAsync(argv, stdin);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', argv)}: {result}");
    }
}
