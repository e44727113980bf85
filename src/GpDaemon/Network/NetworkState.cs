using System.Net;

namespace GpDaemon.Network;

/// <summary>
/// The network outside the tunnel at one moment: the default routes not via an ignored interface, the route the kernel
/// picks to the gateway (when a gateway is set and that route does not go through an ignored interface), and the
/// stable global addresses of the interfaces that carry those routes. <see cref="Compare"/> turns two of them into at
/// most one <see cref="NetworkChange"/>. Pure, so the decisions are tested without a network.
/// </summary>
internal sealed record NetworkState(IReadOnlyList<RouteSummary> DefaultRoutes, IPAddress? Gateway, RouteSummary? GatewayRoute,
    IReadOnlyList<string> Addresses)
{
    public static readonly NetworkState Empty = new([], null, null, []);

    /// <summary>Somewhere to send packets: a default route, or a route to the gateway (a full tunnel replaces the default
    /// route with its own and keeps a host route to the gateway on the real interface).</summary>
    public bool HasNetwork => DefaultRoutes.Count > 0 || GatewayRoute is not null;

    public static NetworkChange? Compare(NetworkState before, NetworkState after)
    {
        if (before.HasNetwork && !after.HasNetwork)
            return new NetworkChange(NetworkChangeKind.Lost, "no default route");
        if (!after.HasNetwork)
            return null;
        if (!before.HasNetwork)
            return new NetworkChange(NetworkChangeKind.Available, "route available: " + after.Describe());

        if (!Equals(before.Gateway, after.Gateway))
        {
            // Another gateway (a new tunnel) is not a change of the network; but a default route that moved while the
            // first tunnel came up (read together with its gateway) is.
            return before.Gateway is null && !before.DefaultRoutes.SequenceEqual(after.DefaultRoutes)
                ? new NetworkChange(NetworkChangeKind.Changed, "new default route: " + string.Join(", ", after.DefaultRoutes))
                : null;
        }
        if (after.Gateway is not null)
        {
            // With a gateway, only the way to it matters: a new default route elsewhere (a cable plugged in beside
            // Wi-Fi) leaves a tunnel whose host route still works alone.
            if (before.GatewayRoute != after.GatewayRoute)
                return new NetworkChange(NetworkChangeKind.Changed,
                    $"the route to {after.Gateway} changed from {Show(before.GatewayRoute)} to {Show(after.GatewayRoute)}");
        }
        else if (!before.DefaultRoutes.SequenceEqual(after.DefaultRoutes))
        {
            return new NetworkChange(NetworkChangeKind.Changed, "new default route: " + after.Describe());
        }
        if (!before.Addresses.SequenceEqual(after.Addresses))
            return new NetworkChange(NetworkChangeKind.Changed, "new address: " + string.Join(", ", after.Addresses));
        return null;
    }

    public string Describe() =>
        GatewayRoute is not null ? "to " + Gateway + " " + GatewayRoute : "default " + string.Join(", ", DefaultRoutes);

    private static string Show(RouteSummary? route) => route?.ToString() ?? "none";
}
