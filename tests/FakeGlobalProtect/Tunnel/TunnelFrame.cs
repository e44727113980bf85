using System.Buffers.Binary;

namespace FakeGlobalProtect.Tunnel;

/// <summary>
/// The GlobalProtect SSL tunnel framing: magic 1a2b3c4d, EtherType, payload length (both big-endian),
/// then 01 00.. for data or all zeros for a keepalive, then the IP packet.
/// </summary>
public static class TunnelFrame
{
    public const int HeaderLength = 16;
    public const ushort EtherTypeKeepalive = 0x0000;
    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeIpv6 = 0x86dd;
    public const uint Magic = 0x1a2b3c4d;

    public static byte[] Encode(ushort etherType, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ushort.MaxValue)
        {
            throw new ArgumentException("payload too large for one frame", nameof(payload));
        }

        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), etherType);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), (ushort)payload.Length);
        if (etherType != EtherTypeKeepalive)
        {
            frame[8] = 1;
        }

        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    public static byte[] Keepalive() => Encode(EtherTypeKeepalive, []);

    /// <summary>Reads a frame header; false when the magic is wrong (the stream is not a GP tunnel).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out ushort etherType, out int payloadLength)
    {
        etherType = 0;
        payloadLength = 0;
        if (header.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(header) != Magic)
        {
            return false;
        }

        etherType = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        return true;
    }
}
