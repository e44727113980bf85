using System.Globalization;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Dns;

/// <summary>
/// The tunnel's DNS through systemd-resolved, set by Debian's real vpnc-script (resolvectl over D-Bus) from inside
/// gpdaemon.service's sandbox, on a real tun device: the link gets the gateway's server and the split domains,
/// /etc/resolv.conf is left alone, and nothing stays behind however the tunnel ends.
/// </summary>
public sealed class ResolvedDnsTests(ResolvedContainerFixture fixture) : IClassFixture<ResolvedContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    // The fake gateway's DNS server (FakeGlobalProtect's default --dns).
    private const string GatewayDns = "10.99.0.53";

    private SystemdContainer Container => fixture.Container;

    private FakePortal Fake => fixture.Fake;

    [Fact]
    public async Task Connect_GivesTheTunnelLinkTheGatewaysDnsAndTheSplitDomains_LeavesResolvConf_AndDisconnectTakesThemAway()
    {
        await ResetAsync();
        try
        {
            await StartAsync();
            string resolvConf = await ResolvConfAsync();

            await ConnectAsync();

            await AssertLinkHasTheTunnelsDnsAsync();
            Assert.Equal(resolvConf, await ResolvConfAsync());
            ProcessResult status = await Container.ExecAsync(StagedInstall.Ctl, "status");
            Assert.Contains($"Domains:     {ResolvedContainerFixture.GatewayDomain}, {ResolvedContainerFixture.SplitDomain}", status.Stdout, StringComparison.Ordinal);

            ProcessResult disconnect = await Container.ExecAsync(StagedInstall.Ctl, "disconnect");
            Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
            await WaitForStatusTextAsync("Disconnected");

            await AssertNoTunnelDnsLeftAsync();
            Assert.Equal(resolvConf, await ResolvConfAsync());
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
    }

    [Fact]
    public async Task StoppingTheService_TakesTheTunnelsDnsAway()
    {
        await ResetAsync();
        await StartAsync();
        string resolvConf = await ResolvConfAsync();
        await ConnectAsync();
        await AssertLinkHasTheTunnelsDnsAsync();

        ProcessResult stop = await Container.SystemctlAsync("stop", Unit);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        await AssertNoTunnelDnsLeftAsync();
        Assert.Equal(resolvConf, await ResolvConfAsync());
    }

    [Fact]
    public async Task OpenconnectKilled_LeavesNoDnsOnTheDeadLink_AndTheReconnectedTunnelGetsItAgain()
    {
        await ResetAsync();
        try
        {
            await StartAsync();
            await ConnectAsync();
            await AssertLinkHasTheTunnelsDnsAsync();
            string deadLink = await InterfaceIndexAsync();

            // No disconnect runs for a SIGKILLed openconnect: the tun device goes with it, and resolved forgets the link.
            int openconnect = Assert.Single(await Container.ProcessesAsync("openconnect"));
            ProcessResult kill = await Container.ExecAsync("kill", "-KILL", openconnect.ToString(CultureInfo.InvariantCulture));
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await Poll.UntilAsync(() => Container.ExecAsync("resolvectl", "dns", deadLink), dns => dns.ExitCode != 0,
                $"systemd-resolved to forget link {deadLink}", dns => dns.ToString());

            // The daemon reconnects with the same session: a new device of the same name, with the DNS again, once.
            await Poll.UntilAsync(async () => (Index: await InterfaceIndexOrNoneAsync(), Dns: await Container.ExecAsync("resolvectl", "dns", fixture.Interface)),
                link => link.Index is not null && link.Index != deadLink && link.Dns.Stdout.Contains(GatewayDns, StringComparison.Ordinal),
                "the reconnected tunnel's new device to get the DNS server", link => $"index {link.Index}: {link.Dns}", TimeSpan.FromSeconds(60));
            await WaitForStatusTextAsync($"Connected to {Fake.Address}");
            await AssertLinkHasTheTunnelsDnsAsync();
            ProcessResult all = await Container.ExecAsync("resolvectl", "status");
            Assert.Single(all.Stdout.Split(GatewayDns).Skip(1));
        }
        finally
        {
            await Container.SystemctlAsync("stop", Unit);
        }
        await AssertNoTunnelDnsLeftAsync();
    }

    private async Task AssertLinkHasTheTunnelsDnsAsync()
    {
        ProcessResult dns = await Container.ExecAsync("resolvectl", "dns", fixture.Interface);
        Assert.True(dns.ExitCode == 0 && dns.Stdout.Contains(GatewayDns, StringComparison.Ordinal), dns + await Container.DescribeAsync(Unit));
        ProcessResult domain = await Container.ExecAsync("resolvectl", "domain", fixture.Interface);
        Assert.True(domain.ExitCode == 0 && domain.Stdout.TrimEnd().EndsWith($": {ResolvedContainerFixture.GatewayDomain} {ResolvedContainerFixture.SplitDomain}", StringComparison.Ordinal),
            domain.ToString());
    }

    private async Task AssertNoTunnelDnsLeftAsync()
    {
        ProcessResult link = await Container.ExecAsync("ip", "link", "show", "dev", fixture.Interface);
        Assert.True(link.ExitCode != 0, "the tun device is still there: " + link);
        ProcessResult all = await Container.ExecAsync("resolvectl", "status");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.DoesNotContain(GatewayDns, all.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(ResolvedContainerFixture.GatewayDomain, all.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(ResolvedContainerFixture.SplitDomain, all.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Interface, all.Stdout, StringComparison.Ordinal);
    }

    private async Task<string> InterfaceIndexAsync() =>
        await InterfaceIndexOrNoneAsync() ?? throw new InvalidOperationException($"no device {fixture.Interface}");

    private async Task<string?> InterfaceIndexOrNoneAsync()
    {
        ProcessResult index = await Container.ExecAsync("cat", $"/sys/class/net/{fixture.Interface}/ifindex");
        return index.ExitCode == 0 ? index.Stdout.Trim() : null;
    }

    private async Task<string> ResolvConfAsync()
    {
        ProcessResult cat = await Container.ExecAsync("cat", "/etc/resolv.conf");
        return cat.Stdout;
    }

    private Task ResetAsync() => ServiceUnit.ResetAsync(Container);

    private Task StartAsync() => ServiceUnit.StartAsync(Container);

    private async Task ConnectAsync()
    {
        ProcessResult connect = await ServiceUnit.ConnectAsync(Container, Fake);
        Assert.True(connect.ExitCode == 0, connect + await Container.DescribeAsync(Unit));
        await WaitForStatusTextAsync($"Connected to {Fake.Address}");
    }

    private Task<string> WaitForStatusTextAsync(string prefix) => ServiceUnit.WaitForStatusTextAsync(Container, prefix);
}
