using System.Text.RegularExpressions;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// Several VPNs at once under a real systemd: two gpdaemon@NAME.service instances started at boot, each connected
/// to its own portal through its own real tun device (gp-NAME) and the real vpnc-script, beside the default
/// gpdaemon.service.
/// </summary>
public sealed class InstanceServiceTests(InstancesContainerFixture fixture) : IClassFixture<InstancesContainerFixture>
{
    private SystemdContainer Container => fixture.Container;

    [Fact]
    public async Task TwoInstances_ConnectAtBoot_EachThroughItsOwnInterface_AndStatusAllListsThem()
    {
        await WaitForConnectedAsync(fixture.First, fixture.Fake);
        await WaitForConnectedAsync(fixture.Second, fixture.SecondFake);

        foreach ((string name, FakePortal fake) in new[] { (fixture.First, fixture.Fake), (fixture.Second, fixture.SecondFake) })
        {
            ProcessResult status = await Container.ExecAsync(StagedInstall.Ctl, "--instance", name, "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains($"Interface:   gp-{name}", status.Stdout, StringComparison.Ordinal);
            ProcessResult address = await Container.ExecAsync("ip", "-brief", "address", "show", "dev", $"gp-{name}");
            Assert.True(address.ExitCode == 0 && address.Stdout.Contains(fake.TunnelAddress + "/32", StringComparison.Ordinal), address.ToString());
            Assert.Equal("0", (await Container.ExecAsync("test", "-S", $"/run/gpdaemon/{name}/gpdaemon.sock")).ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(2, (await Container.ProcessesAsync("openconnect")).Count);

        ProcessResult all = await Container.ExecAsync(StagedInstall.Ctl, "status", "--all");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Matches(new Regex(@"^default\s+Disconnected\s", RegexOptions.Multiline), all.Stdout);
        Assert.Matches(new Regex($@"^{fixture.First}\s+Connected\s+gp-{fixture.First}\s", RegexOptions.Multiline), all.Stdout);
        Assert.Matches(new Regex($@"^{fixture.Second}\s+Connected\s+gp-{fixture.Second}\s", RegexOptions.Multiline), all.Stdout);
    }

    [Fact]
    public async Task StoppingOneInstance_OrTheDefaultService_LeavesTheOtherTunnelUp()
    {
        await WaitForConnectedAsync(fixture.First, fixture.Fake);
        string secondUnit = $"gpdaemon@{fixture.Second}.service";
        await WaitForConnectedAsync(fixture.Second, fixture.SecondFake);
        string secondPid = await Container.ShowAsync(secondUnit, "MainPID");
        string firstUnit = $"gpdaemon@{fixture.First}.service";

        Assert.Equal(0, (await Container.SystemctlAsync("stop", firstUnit)).ExitCode);
        Assert.Equal(0, (await Container.SystemctlAsync("stop", StagedInstall.Unit)).ExitCode);
        try
        {
            ProcessResult all = await Container.ExecAsync(StagedInstall.Ctl, "status", "--all");
            Assert.Matches(new Regex(@"^default\s+not running\s", RegexOptions.Multiline), all.Stdout);
            // Configured in /etc/gpdaemon, so listed even while stopped.
            Assert.Matches(new Regex($@"^{fixture.First}\s+not running\s", RegexOptions.Multiline), all.Stdout);
            Assert.Matches(new Regex($@"^{fixture.Second}\s+Connected\s", RegexOptions.Multiline), all.Stdout);
            Assert.False(Directory.Exists($"/sys/class/net/gp-{fixture.First}"));

            // The second instance kept its daemon, its tunnel and its socket (/run/gpdaemon outlives the default unit).
            Assert.Equal(secondPid, await Container.ShowAsync(secondUnit, "MainPID"));
            ProcessResult second = await Container.ExecAsync(StagedInstall.Ctl, "-i", fixture.Second, "status");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Single(await Container.ProcessesAsync("openconnect"));
        }
        finally
        {
            await Container.SystemctlAsync("start", StagedInstall.Unit, firstUnit);
        }
        await WaitForConnectedAsync(fixture.First, fixture.Fake);
    }

    private async Task WaitForConnectedAsync(string instance, FakePortal fake) =>
        await Poll.UntilAsync(() => Container.ShowAsync($"gpdaemon@{instance}.service", "StatusText"),
            text => text.StartsWith($"Connected to {fake.Address}", StringComparison.Ordinal), $"gpdaemon@{instance} to report Connected");
}
