namespace GpDaemon.Config;

/// <summary>[routes]: split tunnel, applied at the next connect.</summary>
internal sealed record RouteSettings
{
    /// <summary>Only these networks through the tunnel, replacing the gateway's list; null keeps the gateway's.</summary>
    public IReadOnlyList<System.Net.IPNetwork>? Include { get; init; }

    /// <summary>Never through the tunnel.</summary>
    public IReadOnlyList<System.Net.IPNetwork> Exclude { get; init; } = [];
}
