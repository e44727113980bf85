namespace GpDaemon.Network;

/// <summary>What a settled change of routes and addresses means for the tunnel.</summary>
internal enum NetworkChangeKind
{
    /// <summary>No default route (and no route to the gateway) outside the tunnel: wait, do not try to connect.</summary>
    Lost,

    /// <summary>A route is back after <see cref="Lost"/>: connect at once.</summary>
    Available,

    /// <summary>Still online, but the way to the gateway changed (new default route, new source address, another
    /// interface): the tunnel's connection is likely dead, reconnect at once.</summary>
    Changed,
}
