using System.Buffers.Binary;
using System.Net;
using System.Text;
using static GpDaemon.Network.Rtnetlink;

namespace GpDaemon.Network;

/// <summary>
/// Parses what a NETLINK_ROUTE socket receives into <see cref="NetlinkMessage"/>s, and builds the few requests the follower
/// sends. Pure: no I/O. Netlink uses the host's byte order (little-endian on every platform .NET runs Linux on); a
/// truncated or malformed message ends the parse of that datagram rather than throwing.
/// </summary>
internal static class NetlinkParser
{
    public static List<NetlinkMessage> Parse(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        while (datagram.Length >= HeaderSize)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < HeaderSize || length > datagram.Length)
            {
                break;
            }

            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram[6..]);
            uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            ReadOnlySpan<byte> payload = datagram[HeaderSize..(int)length];
            messages.Add(ParseOne(type, flags, sequence, payload));
            int next = Align((int)length);
            if (next >= datagram.Length)
            {
                break;
            }

            datagram = datagram[next..];
        }
        return messages;
    }

    private static NetlinkMessage ParseOne(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload) => type switch
    {
        RTM_NEWROUTE or RTM_DELROUTE when payload.Length >= 12 => ParseRoute(type, flags, sequence, payload),
        RTM_NEWADDR or RTM_DELADDR when payload.Length >= 8 => ParseAddress(type, flags, sequence, payload),
        RTM_NEWLINK or RTM_DELLINK when payload.Length >= 16 => ParseLink(type, flags, sequence, payload),
        NLMSG_ERROR when payload.Length >= 4 => new ErrorMessage(type, flags, sequence, BinaryPrimitives.ReadInt32LittleEndian(payload)),
        NLMSG_DONE => new DoneMessage(type, flags, sequence),
        _ => new OtherMessage(type, flags, sequence),
    };

    // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } then attributes.
    private static RouteMessage ParseRoute(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        byte family = payload[0];
        byte dstLength = payload[1];
        uint table = payload[4];
        byte scope = payload[6];
        byte routeType = payload[7];
        IPAddress? destination = null, gateway = null, source = null;
        int oif = 0;
        uint priority = 0;
        bool multipath = false;
        foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[12..]))
        {
            switch (attribute)
            {
                case RTA_DST: destination = Address(value); break;
                case RTA_GATEWAY: gateway = Address(value); break;
                case RTA_PREFSRC: source = Address(value); break;
                case RTA_OIF when value.Length >= 4: oif = BinaryPrimitives.ReadInt32LittleEndian(value); break;
                case RTA_PRIORITY when value.Length >= 4: priority = BinaryPrimitives.ReadUInt32LittleEndian(value); break;
                case RTA_TABLE when value.Length >= 4: table = BinaryPrimitives.ReadUInt32LittleEndian(value); break;
                case RTA_MULTIPATH: multipath = true; break;
            }
        }
        return new RouteMessage(type, flags, sequence, family, dstLength, table, routeType, scope, destination, gateway, oif, source,
            priority, multipath);
    }

    // struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; } then attributes.
    private static AddressMessage ParseAddress(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        byte family = payload[0];
        byte prefixLength = payload[1];
        uint addressFlags = payload[2];
        byte scope = payload[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        IPAddress? address = null, local = null;
        foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[8..]))
        {
            switch (attribute)
            {
                case IFA_ADDRESS: address = Address(value); break;
                case IFA_LOCAL: local = Address(value); break;
                case IFA_FLAGS when value.Length >= 4: addressFlags = BinaryPrimitives.ReadUInt32LittleEndian(value); break;
            }
        }
        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always the interface's own.
        return new AddressMessage(type, flags, sequence, family, prefixLength, scope, index, local ?? address, addressFlags);
    }

    // struct ifinfomsg { u8 family, pad; u16 type; s32 index; u32 flags, change; } then attributes.
    private static LinkMessage ParseLink(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        uint linkFlags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string? name = null;
        foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[16..]))
        {
            if (attribute == IFLA_IFNAME)
            {
                int end = value.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
            }
        }
        return new LinkMessage(type, flags, sequence, index, name, linkFlags);
    }

    private static IPAddress? Address(ReadOnlySpan<byte> value) => value.Length is 4 or 16 ? new IPAddress(value) : null;

    /// <summary>A dump request (NLM_F_REQUEST|NLM_F_DUMP) of <paramref name="type"/> for both address families.</summary>
    public static byte[] DumpRequest(ushort type, uint sequence)
    {
        // RTM_GETLINK takes an ifinfomsg (16 bytes); RTM_GETROUTE an rtmsg (12) and RTM_GETADDR an ifaddrmsg (8), both
        // padded to 4; the family byte is first in all three and 0 (AF_UNSPEC) means both.
        int body = type == RTM_GETLINK ? 16 : type == RTM_GETROUTE ? 12 : 8;
        byte[] message = new byte[HeaderSize + body];
        WriteHeader(message, type, NLM_F_REQUEST | NLM_F_DUMP, sequence);
        return message;
    }

    /// <summary>RTM_GETROUTE for one destination: the kernel answers with the route it would use (ip route get).</summary>
    public static byte[] RouteToRequest(IPAddress destination, uint sequence)
    {
        byte[] address = destination.GetAddressBytes();
        int attributeLength = 4 + address.Length;
        byte[] message = new byte[HeaderSize + 12 + Align(attributeLength)];
        WriteHeader(message, RTM_GETROUTE, NLM_F_REQUEST, sequence);
        Span<byte> rtmsg = message.AsSpan(HeaderSize);
        rtmsg[0] = address.Length == 4 ? AF_INET : AF_INET6;
        rtmsg[1] = (byte)(address.Length * 8);
        Span<byte> attribute = rtmsg[12..];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], RTA_DST);
        address.CopyTo(attribute[4..]);
        return message;
    }

    private static void WriteHeader(Span<byte> message, ushort type, ushort flags, uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);
    }

    private readonly ref struct Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        public ushort Type { get; } = type;
        public ReadOnlySpan<byte> Value { get; } = value;

        public void Deconstruct(out ushort type, out ReadOnlySpan<byte> value)
        {
            type = Type;
            value = Value;
        }
    }

    /// <summary>Walks struct rtattr { u16 len; u16 type; } entries, each padded to 4 bytes.</summary>
    private ref struct AttributeReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public Attribute Current { get; private set; }

        public readonly AttributeReader GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < 4)
            {
                return false;
            }

            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            if (length < 4 || length > _rest.Length)
            {
                return false;
            }
            // NLA_F_NESTED and NLA_F_NET_BYTEORDER live in the type's top bits.
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
            Current = new Attribute(type, _rest[4..length]);
            int next = Align(length);
            _rest = next >= _rest.Length ? [] : _rest[next..];
            return true;
        }
    }
}
