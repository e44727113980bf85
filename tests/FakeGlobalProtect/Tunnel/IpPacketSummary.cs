using System.Net;

namespace FakeGlobalProtect.Tunnel;

/// <summary>What the fake reports about one IP packet seen in the tunnel.</summary>
public sealed record IpPacketSummary(int Version, IPAddress Source, IPAddress Destination, byte Protocol, int Length)
{
    public string ProtocolName => Protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "icmpv6",
        _ => Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
