using System.Buffers.Binary;

namespace GpDaemon.TestSupport;

/// <summary>
/// A --script-tun packet handler for the daemon's tun_handler setting: sends one ICMP echo request into the tunnel,
/// keeps the first packet that comes out of it, then drains the socket for as long as openconnect lives.
/// </summary>
public sealed class TunHandler
{
    public TunHandler(string directory, byte[] outgoing)
    {
        Directory = directory;
        File.WriteAllBytes(Path.Combine(directory, "outgoing.bin"), outgoing);
        File.WriteAllText(ScriptPath, $"""
            #!/bin/sh
            dir='{directory}'
            # $VPNFD is a datagram socket: one write is one packet, one read is one packet.
            cat "$dir/outgoing.bin" >&"$VPNFD"
            dd bs=65536 count=1 <&"$VPNFD" of="$dir/incoming.tmp" 2>/dev/null && mv "$dir/incoming.tmp" "$dir/incoming.bin"
            exec cat <&"$VPNFD" >/dev/null

            """);
        File.SetUnixFileMode(ScriptPath, (UnixFileMode)0x1ed);
    }

    public string Directory { get; }

    public string ScriptPath => Path.Combine(Directory, "handler.sh");

    public string IncomingPath => Path.Combine(Directory, "incoming.bin");

    /// <summary>An IPv4 ICMP echo request, checksums and all.</summary>
    public static byte[] IcmpEcho(byte[] source, byte[] destination, ushort identifier)
    {
        byte[] packet = new byte[20 + 8 + 16];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64; // TTL
        packet[9] = 1;  // ICMP
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20)));
        Span<byte> icmp = packet.AsSpan(20);
        icmp[0] = 8; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], 1);
        "gpdaemon-test!!!"u8.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return packet;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
