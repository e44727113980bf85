using GpDaemon.Config;

namespace GpDaemon.Control;

/// <summary>
/// Who may change the connection: root, the daemon's own user (a daemon run by hand), and members of the control group.
/// Everyone may read the status. Unknown credentials are unprivileged.
/// </summary>
internal sealed record AccessPolicy(string GroupName, uint? GroupId, uint DaemonUid)
{
    /// <summary>The policy of the configuration in force (a reload may change the group).</summary>
    public static AccessPolicy Of(ConfigStore config)
    {
        ResolvedGroup group = config.ControlGroup;
        return new AccessPolicy(group.Name, group.Id, Tmds.Linux.LibC.geteuid());
    }

    public bool MayControl(PeerCredentials? peer) =>
        peer is not null
        && (peer.Uid == 0
            || peer.Uid == DaemonUid
            || (GroupId is uint gid && (peer.Gid == gid || peer.Groups.Contains(gid))));

    /// <summary>Root and the daemon's own user keep a reserve of connections no other user can take.</summary>
    public PeerRank RankOf(PeerCredentials? peer) =>
        peer is not null && (peer.Uid == 0 || peer.Uid == DaemonUid) ? PeerRank.Reserved
        : MayControl(peer) ? PeerRank.Control
        : PeerRank.Unprivileged;
}
