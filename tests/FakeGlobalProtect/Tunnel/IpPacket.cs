using System.Buffers.Binary;
using System.Net;

namespace FakeGlobalProtect.Tunnel;

/// <summary>Just enough IPv4/IPv6 and ICMP to describe tunnel traffic and answer pings.</summary>
public static class IpPacket
{
    public const byte ProtocolIcmp = 1;
    public const byte IcmpEchoReply = 0;
    public const byte IcmpEchoRequest = 8;
    private const int Ipv4HeaderLength = 20;

    /// <summary>Describes an IPv4 or IPv6 packet from its header; null when it is too short or not IP.</summary>
    public static IpPacketSummary? TryDescribe(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 1)
        {
            return null;
        }

        var version = packet[0] >> 4;
        if (version == 4 && packet.Length >= Ipv4HeaderLength)
        {
            return new IpPacketSummary(4, new IPAddress(packet.Slice(12, 4)), new IPAddress(packet.Slice(16, 4)), packet[9], packet.Length);
        }

        if (version == 6 && packet.Length >= 40)
        {
            return new IpPacketSummary(6, new IPAddress(packet.Slice(8, 16)), new IPAddress(packet.Slice(24, 16)), packet[6], packet.Length);
        }

        return null;
    }

    /// <summary>An IPv4 ICMP echo request or reply with valid IP and ICMP checksums.</summary>
    public static byte[] IcmpEcho(IPAddress source, IPAddress destination, byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> data)
    {
        var icmpLength = 8 + data.Length;
        var packet = new byte[Ipv4HeaderLength + icmpLength];
        WriteIpv4Header(packet, source, destination, ProtocolIcmp);

        var icmp = packet.AsSpan(Ipv4HeaderLength);
        icmp[0] = type;
        icmp[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        data.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return packet;
    }

    /// <summary>
    /// If <paramref name="packet"/> is an IPv4 ICMP echo request, the matching echo reply (addresses
    /// swapped, same identifier, sequence and data); otherwise null.
    /// </summary>
    public static byte[]? EchoReplyFor(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < Ipv4HeaderLength + 8 || packet[0] >> 4 != 4 || packet[9] != ProtocolIcmp)
        {
            return null;
        }

        var headerLength = (packet[0] & 0x0f) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < Ipv4HeaderLength || totalLength > packet.Length || totalLength < headerLength + 8)
        {
            return null;
        }

        var icmp = packet[headerLength..totalLength];
        if (icmp[0] != IcmpEchoRequest || icmp[1] != 0)
        {
            return null;
        }

        return IcmpEcho(
            new IPAddress(packet.Slice(16, 4)),
            new IPAddress(packet.Slice(12, 4)),
            IcmpEchoReply,
            BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]),
            icmp[8..]);
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static void WriteIpv4Header(Span<byte> packet, IPAddress source, IPAddress destination, byte protocol)
    {
        packet[0] = 0x45;
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], 0x4750);
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], 0x4000); // don't fragment
        packet[8] = 64;
        packet[9] = protocol;
        if (!source.TryWriteBytes(packet[12..16], out _) || !destination.TryWriteBytes(packet[16..20], out _))
        {
            throw new ArgumentException("IPv4 addresses required");
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Checksum(packet[..Ipv4HeaderLength]));
    }
}
