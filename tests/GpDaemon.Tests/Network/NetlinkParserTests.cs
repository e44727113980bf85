using System.Net;
using GpDaemon.Network;
using static GpDaemon.Network.Rtnetlink;

namespace GpDaemon.Tests.Network;

/// <summary>Byte fixtures laid out as the kernel sends them (little-endian, 4-byte aligned attributes).</summary>
public sealed class NetlinkParserTests
{
    // RTM_NEWROUTE: default via 192.0.2.1 dev #2, table main, proto static.
    private const string DefaultRouteV4 =
        "34000000 1800 0000 00000000 00000000" + // nlmsghdr: len 52, RTM_NEWROUTE
        "02 00 00 00 fe 04 00 01 00000000" +      // rtmsg: AF_INET, dst_len 0, table 254, static, universe, unicast
        "0800 0f00 fe000000" +                    // RTA_TABLE 254
        "0800 0500 c0000201" +                    // RTA_GATEWAY 192.0.2.1
        "0800 0400 02000000";                     // RTA_OIF 2

    // RTM_NEWROUTE: default via fe80::1 dev #3 metric 1024 (IPv6).
    private const string DefaultRouteV6 =
        "48000000 1800 0000 00000000 00000000" +
        "0a 00 00 00 fe 03 00 01 00000000" +
        "0800 0f00 fe000000" +
        "1400 0500 fe800000000000000000000000000001" +
        "0800 0600 00040000" +
        "0800 0400 03000000";

    // RTM_NEWLINK eth0 (#2), then RTM_NEWADDR 192.0.2.10/24 on it, in one datagram.
    private const string LinkThenAddress =
        "2c000000 1000 0000 00000000 00000000" +
        "00 00 0100 02000000 43100100 ffffffff" + // ifinfomsg: ARPHRD_ETHER, index 2, flags, change
        "0900 0300 65746830 00000000" +           // IFLA_IFNAME "eth0\0" + pad
        "34000000 1400 0000 00000000 00000000" +
        "02 18 80 00 02000000" +                  // ifaddrmsg: AF_INET, /24, permanent, universe, index 2
        "0800 0100 c000020a" +                    // IFA_ADDRESS
        "0800 0200 c000020a" +                    // IFA_LOCAL
        "0900 0300 65746830 00000000";            // IFA_LABEL "eth0"

    // NLMSG_ERROR -ENETUNREACH (an ip route get without a route), echoing the request's header.
    private const string NetworkUnreachable =
        "24000000 0200 0000 09000000 00000000" +
        "9bffffff" +
        "24000000 1a00 0100 09000000 00000000";

    private const string Done = "14000000 0300 0200 07000000 00000000 00000000";

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void A_default_route_is_read_with_gateway_interface_and_table()
    {
        RouteMessage route = Assert.IsType<RouteMessage>(Assert.Single(NetlinkParser.Parse(Bytes(DefaultRouteV4))));
        Assert.Equal(RTM_NEWROUTE, route.Type);
        Assert.Equal(AF_INET, route.Family);
        Assert.True(route.IsDefault);
        Assert.Equal(RT_TABLE_MAIN, route.Table);
        Assert.Equal(RTN_UNICAST, route.RouteType);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), route.Gateway);
        Assert.Equal(2, route.OutputInterface);
        Assert.Null(route.PreferredSource);
    }

    [Fact]
    public void An_ipv6_default_route_is_read_with_its_metric()
    {
        RouteMessage route = Assert.IsType<RouteMessage>(Assert.Single(NetlinkParser.Parse(Bytes(DefaultRouteV6))));
        Assert.Equal(AF_INET6, route.Family);
        Assert.True(route.IsDefault);
        Assert.Equal(IPAddress.Parse("fe80::1"), route.Gateway);
        Assert.Equal(3, route.OutputInterface);
        Assert.Equal(1024u, route.Priority);
    }

    [Fact]
    public void Several_messages_in_one_datagram_are_all_read()
    {
        List<NetlinkMessage> messages = NetlinkParser.Parse(Bytes(LinkThenAddress));
        Assert.Equal(2, messages.Count);
        LinkMessage link = Assert.IsType<LinkMessage>(messages[0]);
        Assert.Equal((2, "eth0"), (link.InterfaceIndex, link.Name));
        AddressMessage address = Assert.IsType<AddressMessage>(messages[1]);
        Assert.Equal(2, address.InterfaceIndex);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), address.Address);
        Assert.Equal(24, address.PrefixLength);
        Assert.Equal(RT_SCOPE_UNIVERSE, address.Scope);
    }

    [Fact]
    public void An_error_and_the_end_of_a_dump_are_read()
    {
        ErrorMessage error = Assert.IsType<ErrorMessage>(Assert.Single(NetlinkParser.Parse(Bytes(NetworkUnreachable))));
        Assert.Equal((-101, 9u), (error.Error, error.Sequence));
        DoneMessage done = Assert.IsType<DoneMessage>(Assert.Single(NetlinkParser.Parse(Bytes(Done))));
        Assert.Equal(7u, done.Sequence);
    }

    [Theory]
    [InlineData(10)]  // shorter than a header
    [InlineData(40)]  // the header says 52
    public void A_truncated_datagram_gives_what_is_whole_and_no_exception(int length)
    {
        Assert.Empty(NetlinkParser.Parse(Bytes(DefaultRouteV4).AsSpan(0, length)));
    }

    [Fact]
    public void An_attribute_running_past_its_message_is_ignored()
    {
        byte[] bytes = Bytes(DefaultRouteV4);
        bytes[44] = 0x40; // RTA_OIF's length claims 64 bytes
        RouteMessage route = Assert.IsType<RouteMessage>(Assert.Single(NetlinkParser.Parse(bytes)));
        Assert.Equal(0, route.OutputInterface);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), route.Gateway);
    }

    [Fact]
    public void A_dump_request_asks_for_both_families()
    {
        Assert.Equal(Bytes("1c000000 1a00 0103 07000000 00000000 000000000000000000000000"),
            NetlinkParser.DumpRequest(RTM_GETROUTE, 7));
        Assert.Equal(Bytes("20000000 1200 0103 08000000 00000000 00000000000000000000000000000000"),
            NetlinkParser.DumpRequest(RTM_GETLINK, 8));
    }

    [Fact]
    public void A_route_lookup_names_the_destination()
    {
        Assert.Equal(Bytes("24000000 1a00 0100 09000000 00000000 02 20 00 00 00 00 00 00 00000000 0800 0100 cb007105"),
            NetlinkParser.RouteToRequest(IPAddress.Parse("203.0.113.5"), 9));
    }
}
