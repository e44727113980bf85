namespace GpTunnel;

/// <summary>The tunnel's configuration as openconnect reported it.</summary>
/// <param name="Interface">Tun device (null with --script-tun).</param>
/// <param name="Ipv4">Address assigned to this client.</param>
/// <param name="Ipv6">IPv6 address assigned to this client, when any.</param>
/// <param name="Dns">DNS servers pushed by the gateway.</param>
/// <param name="Routes">Split-include routes in CIDR form; empty means everything goes through the tunnel.</param>
/// <param name="Gateway">The gateway's IP address (VPNGATEWAY).</param>
/// <param name="Mtu">Tunnel MTU.</param>
public sealed record TunnelInfo(
    string? Interface,
    string? Ipv4,
    string? Ipv6,
    IReadOnlyList<string> Dns,
    IReadOnlyList<string> Routes,
    string? Gateway,
    int? Mtu)
{
    /// <summary>Search domain(s) pushed by the gateway (CISCO_DEF_DOMAIN), space separated.</summary>
    public string? DnsDomain { get; init; }

    /// <summary>The DNS domains of the tunnel: the gateway's default domain(s) and the split-DNS domains.</summary>
    public IReadOnlyList<string> DnsDomains { get; init; } = [];

    /// <summary>Split-exclude routes in CIDR form: never through the tunnel.</summary>
    public IReadOnlyList<string> ExcludedRoutes { get; init; } = [];

    /// <summary>When the gateway ends the session ("Session authentication will expire at").</summary>
    public DateTimeOffset? SessionExpires { get; init; }

    public static TunnelInfo Empty { get; } = new(null, null, null, [], [], null, null);

    /// <summary>Value equality including the lists (records compare lists by reference).</summary>
    public bool SameAs(TunnelInfo? other) =>
        other is not null
        && Interface == other.Interface && Ipv4 == other.Ipv4 && Ipv6 == other.Ipv6
        && Gateway == other.Gateway && Mtu == other.Mtu && DnsDomain == other.DnsDomain
        && SessionExpires == other.SessionExpires
        && Dns.SequenceEqual(other.Dns) && Routes.SequenceEqual(other.Routes) && ExcludedRoutes.SequenceEqual(other.ExcludedRoutes)
        && DnsDomains.SequenceEqual(other.DnsDomains);
}
