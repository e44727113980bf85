namespace GpDaemon.Connection;

internal sealed record TunnelDetails(string? Interface, string? Ipv4, string? Ipv6, IReadOnlyList<string> Dns, IReadOnlyList<string> Routes)
{
    public IReadOnlyList<string> ExcludedRoutes { get; init; } = [];

    public IReadOnlyList<string> DnsDomains { get; init; } = [];
}
