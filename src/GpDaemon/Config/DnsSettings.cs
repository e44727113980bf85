namespace GpDaemon.Config;

/// <summary>[dns]: applied at the next connect.</summary>
internal sealed record DnsSettings
{
    /// <summary>Domains resolved by the tunnel's DNS servers in addition to the gateway's.</summary>
    public IReadOnlyList<string> SplitDomains { get; init; } = [];
}
