using System.Net;
using GpDaemon.Network;

namespace GpDaemon.Tests.Network;

public sealed class NetworkStateTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("203.0.113.5");
    private static readonly RouteSummary ViaEth = new("eth0", IPAddress.Parse("192.0.2.1"), null);
    private static readonly RouteSummary ViaWifi = new("wlan0", IPAddress.Parse("198.51.100.1"), null);

    private static NetworkState State(RouteSummary? defaultRoute, RouteSummary? gatewayRoute = null, params string[] addresses) =>
        new(defaultRoute is null ? [] : [defaultRoute], gatewayRoute is null ? null : Gateway, gatewayRoute, addresses);

    [Fact]
    public void No_route_left_is_lost_and_a_route_back_is_available()
    {
        Assert.Equal(NetworkChangeKind.Lost, NetworkState.Compare(State(ViaEth), State(null))?.Kind);
        Assert.Equal(NetworkChangeKind.Available, NetworkState.Compare(State(null), State(ViaWifi))?.Kind);
        Assert.Null(NetworkState.Compare(State(null), State(null)));
    }

    [Fact]
    public void Without_a_gateway_a_new_default_route_is_a_change()
    {
        NetworkChange? change = NetworkState.Compare(State(ViaEth), State(ViaWifi));
        Assert.Equal(NetworkChangeKind.Changed, change?.Kind);
        Assert.Contains("wlan0", change!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_gateway_only_its_route_and_its_interfaces_addresses_count()
    {
        // A full tunnel replaced the default route with its own; the host route to the gateway stays on eth0.
        Assert.Null(NetworkState.Compare(State(ViaEth, ViaEth), State(null, ViaEth)));
        // A cable plugged in beside it: a new default route, the gateway still reached the same way.
        Assert.Null(NetworkState.Compare(State(ViaWifi, ViaWifi), State(ViaEth, ViaWifi)));
        // The route to the gateway moves.
        Assert.Equal(NetworkChangeKind.Changed, NetworkState.Compare(State(ViaEth, ViaEth), State(ViaWifi, ViaWifi))?.Kind);
        // A new source address.
        Assert.Equal(NetworkChangeKind.Changed,
            NetworkState.Compare(State(ViaEth, ViaEth with { Source = IPAddress.Parse("192.0.2.10") }),
                State(ViaEth, ViaEth with { Source = IPAddress.Parse("192.0.2.77") }))?.Kind);
        // A new address on the interface.
        Assert.Equal(NetworkChangeKind.Changed,
            NetworkState.Compare(State(ViaEth, ViaEth, "eth0 192.0.2.10/24"), State(ViaEth, ViaEth, "eth0 192.0.2.77/24"))?.Kind);
    }

    [Fact]
    public void Another_gateway_is_no_change_of_the_network()
    {
        NetworkState before = new([ViaEth], null, null, ["eth0 192.0.2.10/24"]);
        Assert.Null(NetworkState.Compare(before, State(ViaEth, ViaEth)));
        Assert.Equal(NetworkChangeKind.Lost, NetworkState.Compare(before, new NetworkState([], Gateway, null, []))?.Kind);
        Assert.Null(NetworkState.Compare(State(ViaEth, ViaEth), new NetworkState([ViaWifi], IPAddress.Parse("192.0.2.99"), ViaWifi, [])));
    }

    [Fact]
    public void A_default_route_that_moved_while_the_gateway_was_set_is_a_change()
    {
        NetworkState before = new([ViaEth], null, null, ["eth0 192.0.2.10/24"]);
        NetworkChange? change = NetworkState.Compare(before, State(ViaWifi, ViaWifi));
        Assert.Equal(NetworkChangeKind.Changed, change?.Kind);
        Assert.Contains("wlan0", change!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_state_is_no_change()
    {
        Assert.Null(NetworkState.Compare(State(ViaEth, ViaEth, "eth0 192.0.2.10/24"), State(ViaEth, ViaEth, "eth0 192.0.2.10/24")));
    }
}
