namespace GpDaemon.Control;

/// <summary>
/// Bounds on open control connections: a total, and a share per unprivileged user, so that one local user
/// reconnecting as fast as the idle timeout allows cannot keep root and the control group out.
/// </summary>
internal sealed class ConnectionLimits(int maxConnections, int maxPerUser)
{
    // Peers whose credentials could not be read share one bucket.
    private const uint UnknownUid = uint.MaxValue;

    private readonly Dictionary<uint, int> _perUser = [];
    private int _total;

    public int MaxConnections => maxConnections;

    public int MaxPerUser => maxPerUser;

    /// <summary>Counts the connection in, or says why not. Thread-safe.</summary>
    public AdmissionResult TryAdmit(PeerCredentials? peer, bool privileged)
    {
        lock (_perUser)
        {
            if (_total >= maxConnections)
            {
                return AdmissionResult.TooManyConnections;
            }
            uint uid = peer?.Uid ?? UnknownUid;
            _perUser.TryGetValue(uid, out int mine);
            if (!privileged && mine >= maxPerUser)
            {
                return AdmissionResult.TooManyForUser;
            }
            _perUser[uid] = mine + 1;
            _total++;
            return AdmissionResult.Admitted;
        }
    }

    public void Release(PeerCredentials? peer)
    {
        lock (_perUser)
        {
            uint uid = peer?.Uid ?? UnknownUid;
            if (_perUser.TryGetValue(uid, out int mine))
            {
                if (mine <= 1)
                {
                    _perUser.Remove(uid);
                }
                else
                {
                    _perUser[uid] = mine - 1;
                }
                _total--;
            }
        }
    }
}

internal enum AdmissionResult
{
    Admitted,
    TooManyConnections,
    TooManyForUser,
}
