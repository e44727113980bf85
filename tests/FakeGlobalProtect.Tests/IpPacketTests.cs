using System.Net;
using FakeGlobalProtect.Tunnel;

namespace FakeGlobalProtect.Tests;

public sealed class IpPacketTests
{
    private static readonly IPAddress Client = IPAddress.Parse("10.99.0.2");
    private static readonly IPAddress Gateway = IPAddress.Parse("10.99.0.53");

    [Fact]
    public void Echo_requests_have_valid_checksums_and_describe_themselves()
    {
        var packet = IpPacket.IcmpEcho(Gateway, Client, IpPacket.IcmpEchoRequest, 0x1234, 9, "abcde"u8);

        Assert.Equal(20 + 8 + 5, packet.Length);
        Assert.Equal(0, IpPacket.Checksum(packet.AsSpan(0, 20)));
        Assert.Equal(0, IpPacket.Checksum(packet.AsSpan(20)));
        var summary = IpPacket.TryDescribe(packet);
        Assert.NotNull(summary);
        Assert.Equal((4, Gateway, Client, "icmp", 33), (summary.Version, summary.Source, summary.Destination, summary.ProtocolName, summary.Length));
    }

    [Fact]
    public void The_reply_to_a_ping_swaps_addresses_and_keeps_id_sequence_and_data()
    {
        var request = IpPacket.IcmpEcho(Client, Gateway, IpPacket.IcmpEchoRequest, 0xbeef, 42, "payload!"u8);

        var reply = IpPacket.EchoReplyFor(request);

        Assert.NotNull(reply);
        Assert.Equal(IpPacket.IcmpEcho(Gateway, Client, IpPacket.IcmpEchoReply, 0xbeef, 42, "payload!"u8), reply);
    }

    [Fact]
    public void Only_echo_requests_get_replies()
    {
        var reply = IpPacket.IcmpEcho(Client, Gateway, IpPacket.IcmpEchoReply, 1, 1, []);
        var udp = IpPacket.IcmpEcho(Client, Gateway, IpPacket.IcmpEchoRequest, 1, 1, []);
        udp[9] = 17;

        Assert.Null(IpPacket.EchoReplyFor(reply));
        Assert.Null(IpPacket.EchoReplyFor(udp));
        Assert.Null(IpPacket.EchoReplyFor([0x45, 0, 0]));
    }

    [Fact]
    public void Ipv6_headers_are_described_and_junk_is_not()
    {
        var packet = new byte[40];
        packet[0] = 0x60;
        packet[6] = 58;
        IPAddress.Parse("fd00::2").GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse("fd00::1").GetAddressBytes().CopyTo(packet, 24);

        var summary = IpPacket.TryDescribe(packet);

        Assert.Equal((6, "fd00::2", "fd00::1", "icmpv6"), (summary!.Version, summary.Source.ToString(), summary.Destination.ToString(), summary.ProtocolName));
        Assert.Null(IpPacket.TryDescribe([0x45, 0]));
        Assert.Null(IpPacket.TryDescribe(new byte[40]));
    }

    [Fact]
    public void Checksum_matches_the_rfc_1071_example()
    {
        // RFC 1071 section 3: the ones' complement sum of these bytes is ddf2, so the checksum is 220d.
        Assert.Equal(0x220d, IpPacket.Checksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]));
    }
}
