using System.Net;
using GpDaemon.Network;
using GpDaemon.Tests.Support;
using GpDaemon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Network;

/// <summary>
/// The follower against the real kernel, inside a network namespace the test makes: two veth pairs stand for Wi-Fi and
/// Ethernet (v0, v1), a third for the tunnel (tun0, ignored). The gateway 203.0.113.5 is reached through the default route.
/// </summary>
public sealed class NetworkFollowerTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("203.0.113.5");

    private static async Task<NetworkNamespace> NamespaceAsync(CancellationToken cancellationToken)
    {
        NetworkNamespace ns = await NetworkNamespace.CreateAsync(cancellationToken);
        try
        {
            await ns.BatchAsync(
            [
                "link add v0 type veth peer name v0p",
                "link add v1 type veth peer name v1p",
                "link add tun0 type veth peer name tun0p",
                "link set v0 up", "link set v0p up", "link set v1 up", "link set v1p up", "link set tun0 up", "link set tun0p up",
                "address add 192.0.2.10/24 dev v0",
                "address add 198.51.100.10/24 dev v1",
                "address add 10.99.0.2/24 dev tun0",
                "route add default via 192.0.2.1 dev v0",
            ], cancellationToken);
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static NetworkFollower Follower(NetworkNamespace ns) =>
        new(TimeProvider.System, NullLogger<NetworkFollower>.Instance)
        {
            OpenSocket = groups => ns.Enter(() => NetlinkSocket.Open(groups)),
            QuietPeriod = TimeSpan.FromMilliseconds(300),
        };

    private static async Task<NetworkFollower> StartAsync(NetworkNamespace ns, CancellationToken cancellationToken, bool withGateway = true)
    {
        NetworkFollower follower = Follower(ns);
        follower.SetInterfaceFilter(name => name == "tun0");
        if (withGateway)
        {
            follower.SetGateway(Gateway);
        }

        await follower.StartAsync(cancellationToken);
        await follower.Ready.WaitAsync(cancellationToken);
        return follower;
    }

    /// <summary>Runs <paramref name="test"/> against a started follower in a fresh namespace, within one deadline, and stops the follower after.</summary>
    private static async Task FollowAsync(Func<NetworkNamespace, NetworkFollower, CancellationToken, Task> test, bool withGateway = true)
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using NetworkNamespace ns = await NamespaceAsync(deadline);
        using NetworkFollower follower = await StartAsync(ns, deadline, withGateway);
        try
        {
            await test(ns, follower, deadline);
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    /// <summary>A change whose event is known, so that whatever came before it shows as an extra event.</summary>
    private static async Task SentinelAsync(NetworkNamespace ns, NetworkFollower follower, string via, CancellationToken cancellationToken)
    {
        await ns.IpAsync(cancellationToken, "route", "replace", "default", "via", via, "dev", "v0");
        NetworkChange change = await follower.Changes.ReadAsync(cancellationToken);
        Assert.Equal(NetworkChangeKind.Changed, change.Kind);
        Assert.Contains(via, change.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Replacing_deleting_and_restoring_the_default_route_is_changed_lost_available() =>
        FollowAsync(async (ns, follower, deadline) =>
        {
            Assert.True(follower.Current!.HasNetwork);
            Assert.Equal("v0", follower.Current.GatewayRoute?.Interface);

            await ns.IpAsync(deadline, "route", "replace", "default", "via", "198.51.100.1", "dev", "v1");
            NetworkChange changed = await follower.Changes.ReadAsync(deadline);
            Assert.Equal(NetworkChangeKind.Changed, changed.Kind);
            Assert.Contains("v1", changed.Reason, StringComparison.Ordinal);

            await ns.IpAsync(deadline, "route", "del", "default");
            Assert.Equal(NetworkChangeKind.Lost, (await follower.Changes.ReadAsync(deadline)).Kind);
            Assert.False(follower.Current.HasNetwork);

            await ns.IpAsync(deadline, "route", "add", "default", "via", "192.0.2.1", "dev", "v0");
            Assert.Equal(NetworkChangeKind.Available, (await follower.Changes.ReadAsync(deadline)).Kind);

            Assert.False(follower.Changes.TryRead(out NetworkChange? extra), $"unexpected {extra}");
        });

    [Fact]
    public Task Changes_on_the_ignored_interface_report_nothing() =>
        // No gateway: every default route counts, so a default route on the tunnel would be a change if not ignored.
        FollowAsync(async (ns, follower, deadline) =>
        {
            // What a tunnel's vpnc-script does: addresses, split routes, a default route of its own (a full tunnel).
            await ns.BatchAsync(
            [
                "address add 10.99.0.3/24 dev tun0",
                "route add 10.0.0.0/8 dev tun0",
                "route add default dev tun0 metric 5000",
                "route del 10.0.0.0/8 dev tun0",
                "address del 10.99.0.3/24 dev tun0",
            ], deadline);
            // Time for a wrong event to come out (well past the quiet period), so that it is not merged into the sentinel's.
            await Task.Delay(TimeSpan.FromSeconds(1.5), deadline);
            await SentinelAsync(ns, follower, "192.0.2.2", deadline);
            Assert.False(follower.Changes.TryRead(out NetworkChange? extra), $"unexpected {extra}");
        }, withGateway: false);

    [Fact]
    public Task A_full_tunnel_taking_the_default_route_is_no_change() =>
        FollowAsync(async (ns, follower, deadline) =>
        {
            // What the vpnc-script does for a full tunnel: a host route to the gateway, then the default route its own.
            await ns.BatchAsync(["route add 203.0.113.5 via 192.0.2.1 dev v0", "route replace default dev tun0"], deadline);
            // The Wi-Fi goes: the host route with it. Only the tunnel's default route is left: the network is lost.
            await ns.BatchAsync(["route del 203.0.113.5 via 192.0.2.1 dev v0"], deadline);
            NetworkChange change = await follower.Changes.ReadAsync(deadline);
            Assert.Equal(NetworkChangeKind.Lost, change.Kind);
            Assert.False(follower.Changes.TryRead(out NetworkChange? extra), $"unexpected {extra}");
        });

    [Fact]
    public Task A_burst_of_twenty_changes_is_one_event() =>
        FollowAsync(async (ns, follower, deadline) =>
        {
            // A flapping link: the default route moves back and forth, ending on v1.
            await ns.BatchAsync(Enumerable.Range(0, 20).Select(i => i % 2 == 0
                ? "route replace default via 192.0.2.1 dev v0 onlink"
                : "route replace default via 198.51.100.1 dev v1"), deadline);
            NetworkChange change = await follower.Changes.ReadAsync(deadline);
            Assert.Equal(NetworkChangeKind.Changed, change.Kind);
            Assert.Contains("v1", change.Reason, StringComparison.Ordinal);

            // Time for a second event to come out on its own, rather than merged into the sentinel's.
            await Task.Delay(TimeSpan.FromSeconds(1.5), deadline);
            await SentinelAsync(ns, follower, "192.0.2.3", deadline);
            Assert.False(follower.Changes.TryRead(out NetworkChange? extra), $"unexpected {extra}");
        });

    [Fact]
    public Task A_new_address_that_becomes_the_source_on_the_gateways_interface_is_a_change() =>
        FollowAsync(async (ns, follower, deadline) =>
        {
            // A new DHCP lease on the same network: the old address goes (and the routes through it), the new one comes.
            await ns.BatchAsync(["address flush dev v0", "address add 192.0.2.77/24 dev v0",
                "route add default via 192.0.2.1 dev v0"], deadline);
            NetworkChange change = await follower.Changes.ReadAsync(deadline);
            Assert.Equal(NetworkChangeKind.Changed, change.Kind);
            Assert.Contains("192.0.2.77", change.Reason, StringComparison.Ordinal);
        });
}
