namespace GpDaemon.Control;

/// <summary>How <see cref="ConnectionLimits"/> counts a peer.</summary>
internal enum PeerRank
{
    /// <summary>Any local user: bounded by the total and by a share per user.</summary>
    Unprivileged,

    /// <summary>A control-group member: no share per user, but the total holds.</summary>
    Control,

    /// <summary>Root or the daemon's own user: may also use the reserve beyond the total.</summary>
    Reserved,
}
