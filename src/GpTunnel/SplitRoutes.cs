using System.Net;
using System.Net.Sockets;

namespace GpTunnel;

/// <summary>
/// Which networks go through the tunnel, in place of or in addition to what the gateway pushes: handed to the
/// vpnc-script as the CISCO_SPLIT_INC / CISCO_SPLIT_EXC variables (and their IPv6 forms) it reads.
/// </summary>
/// <param name="Include">Only these through the tunnel, replacing the gateway's list (both families); null keeps the gateway's.</param>
/// <param name="Exclude">Never through the tunnel, added to the gateway's exclusions.</param>
public sealed record SplitRoutes(IReadOnlyList<IPNetwork>? Include, IReadOnlyList<IPNetwork> Exclude)
{
    public static SplitRoutes None { get; } = new(null, []);

    public bool IsEmpty => Include is null && Exclude.Count == 0;

    /// <summary>
    /// Reads a network in CIDR form ("10.1.0.0/16", "fd00:1::/48"); null when it is not one, or when it has host
    /// bits set ("10.1.2.3/16" is more likely a typo than a network).
    /// </summary>
    public static IPNetwork? TryParseNetwork(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && IPNetwork.TryParse(text, out IPNetwork network)
            && IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? address)
            && address.Equals(network.BaseAddress)
                ? network
                : null;
    }

    /// <summary>The dotted netmask of an IPv4 prefix length (CISCO_SPLIT_*_MASK).</summary>
    public static string Netmask(int prefixLength)
    {
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        return new IPAddress(BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask) : mask).ToString();
    }

    public static bool IsIpv6(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
}
