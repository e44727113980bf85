namespace GpDaemon.Control;

/// <summary>
/// Bounds on open control connections: a total, a share per unprivileged user (so that one local user reconnecting as
/// fast as the idle timeout allows cannot keep the others out), and a reserve beyond the total that only root and the
/// daemon's own user may use (so that other users' idle Watch connections never lock root out). A connection over a
/// limit waits, in order, until a slot frees, rather than failing: a burst of status queries queues instead of
/// erroring. The waiting is bounded too; beyond it a connection is refused.
/// </summary>
internal sealed class ConnectionLimits(int maxConnections, int maxPerUser, int reserve = ConnectionLimits.DefaultReserve,
    int maxWaiting = ConnectionLimits.DefaultMaxWaiting, int maxWaitingPerUser = ConnectionLimits.DefaultMaxWaitingPerUser)
{
    public const int DefaultReserve = 8;
    public const int DefaultMaxWaiting = 1024;
    public const int DefaultMaxWaitingPerUser = 256;

    // Peers whose credentials could not be read share one bucket.
    private const uint UnknownUid = uint.MaxValue;

    private readonly Dictionary<uint, int> _perUser = [];
    private readonly Dictionary<uint, int> _waitingPerUser = [];
    private readonly LinkedList<AdmissionTicket> _waiting = [];
    private int _total;
    private int _waitingOthers;
    private int _waitingReserved;

    public int MaxConnections => maxConnections;

    public int MaxPerUser => maxPerUser;

    public int Reserve => reserve;

    /// <summary>Open connections being served (not those waiting).</summary>
    public int Active
    {
        get
        {
            lock (_waiting)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// A ticket admitted at once, or waiting for a slot (<see cref="AdmissionTicket.Admitted"/> completes when it gets
    /// one), or null when even the waiting room is full. Thread-safe.
    /// </summary>
    public AdmissionTicket? Enter(PeerCredentials? peer, PeerRank rank)
    {
        var ticket = new AdmissionTicket(peer?.Uid ?? UnknownUid, rank);
        lock (_waiting)
        {
            if (Fits(ticket))
            {
                Admit(ticket);
                return ticket;
            }
            if (rank == PeerRank.Reserved ? _waitingReserved >= maxWaiting : _waitingOthers >= maxWaiting)
            {
                return null;
            }
            _waitingPerUser.TryGetValue(ticket.Uid, out int waiting);
            if (rank == PeerRank.Unprivileged && waiting >= maxWaitingPerUser)
            {
                return null;
            }
            _waitingPerUser[ticket.Uid] = waiting + 1;
            if (rank == PeerRank.Reserved)
            {
                _waitingReserved++;
            }
            else
            {
                _waitingOthers++;
            }
            ticket.Node = _waiting.AddLast(ticket);
            return ticket;
        }
    }

    /// <summary>
    /// Gives up waiting (the client waited too long, or the daemon stops). False when the ticket was admitted meanwhile:
    /// the caller then owns a slot and must <see cref="Release"/> it.
    /// </summary>
    public bool Withdraw(AdmissionTicket ticket)
    {
        lock (_waiting)
        {
            if (ticket.Node is null)
            {
                return false;
            }
            StopWaiting(ticket);
            ticket.Complete(admitted: false);
            return true;
        }
    }

    /// <summary>Frees the admitted ticket's slot and admits, in order, whoever waits and now fits.</summary>
    public void Release(AdmissionTicket ticket)
    {
        lock (_waiting)
        {
            if (!_perUser.TryGetValue(ticket.Uid, out int mine))
            {
                return;
            }
            if (mine <= 1)
            {
                _perUser.Remove(ticket.Uid);
            }
            else
            {
                _perUser[ticket.Uid] = mine - 1;
            }
            _total--;
            for (LinkedListNode<AdmissionTicket>? node = _waiting.First; node is not null && _total < maxConnections + reserve;)
            {
                LinkedListNode<AdmissionTicket>? next = node.Next;
                if (Fits(node.Value))
                {
                    AdmissionTicket admitted = node.Value;
                    StopWaiting(admitted);
                    Admit(admitted);
                }
                node = next;
            }
        }
    }

    private bool Fits(AdmissionTicket ticket)
    {
        if (_total >= maxConnections + (ticket.Rank == PeerRank.Reserved ? reserve : 0))
        {
            return false;
        }
        return ticket.Rank != PeerRank.Unprivileged || !_perUser.TryGetValue(ticket.Uid, out int mine) || mine < maxPerUser;
    }

    private void Admit(AdmissionTicket ticket)
    {
        _perUser[ticket.Uid] = _perUser.GetValueOrDefault(ticket.Uid) + 1;
        _total++;
        ticket.Complete(admitted: true);
    }

    private void StopWaiting(AdmissionTicket ticket)
    {
        _waiting.Remove(ticket.Node!);
        ticket.Node = null;
        int waiting = _waitingPerUser[ticket.Uid];
        if (waiting <= 1)
        {
            _waitingPerUser.Remove(ticket.Uid);
        }
        else
        {
            _waitingPerUser[ticket.Uid] = waiting - 1;
        }
        if (ticket.Rank == PeerRank.Reserved)
        {
            _waitingReserved--;
        }
        else
        {
            _waitingOthers--;
        }
    }
}
