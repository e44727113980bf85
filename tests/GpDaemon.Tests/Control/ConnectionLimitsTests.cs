using GpDaemon.Control;

namespace GpDaemon.Tests.Control;

public sealed class ConnectionLimitsTests
{
    private static readonly PeerCredentials Alice = new(10, 1000, 1000, []);
    private static readonly PeerCredentials Bob = new(11, 1001, 1001, []);
    private static readonly PeerCredentials Root = new(12, 0, 0, []);

    /// <summary>Admitted (true), refused a place after waiting (false); never blocks.</summary>
    private static bool? Outcome(AdmissionTicket ticket) => ticket.Admitted.IsCompletedSuccessfully ? ticket.Admitted.Result : null;

    private static AdmissionTicket Admitted(ConnectionLimits limits, PeerCredentials? peer, PeerRank rank)
    {
        AdmissionTicket ticket = Assert.IsType<AdmissionTicket>(limits.Enter(peer, rank));
        Assert.True(Outcome(ticket) == true, "expected admission at once");
        return ticket;
    }

    private static AdmissionTicket Waiting(ConnectionLimits limits, PeerCredentials? peer, PeerRank rank)
    {
        AdmissionTicket ticket = Assert.IsType<AdmissionTicket>(limits.Enter(peer, rank));
        Assert.False(ticket.Admitted.IsCompleted, "expected to wait");
        return ticket;
    }

    [Fact]
    public void One_user_cannot_take_more_than_their_share_and_others_still_get_in()
    {
        var limits = new ConnectionLimits(maxConnections: 10, maxPerUser: 3);
        AdmissionTicket[] alice = [.. Enumerable.Range(0, 3).Select(_ => Admitted(limits, Alice, PeerRank.Unprivileged))];
        AdmissionTicket fourth = Waiting(limits, Alice, PeerRank.Unprivileged);
        Admitted(limits, Bob, PeerRank.Unprivileged);
        Admitted(limits, Root, PeerRank.Reserved);

        limits.Release(alice[0]);
        Assert.True(Outcome(fourth));
    }

    [Fact]
    public void Root_keeps_a_reserve_that_other_users_cannot_take()
    {
        // Eight users with their full share each: every unprivileged slot is taken.
        var limits = new ConnectionLimits(maxConnections: 8, maxPerUser: 2, reserve: 2);
        for (uint user = 0; user < 4; user++)
        {
            var peer = new PeerCredentials(100, 2000 + user, 2000 + user, []);
            Admitted(limits, peer, PeerRank.Unprivileged);
            Admitted(limits, peer, PeerRank.Unprivileged);
        }
        Waiting(limits, new PeerCredentials(100, 3000, 3000, []), PeerRank.Unprivileged);
        Waiting(limits, new PeerCredentials(100, 3001, 3001, []), PeerRank.Control);

        Admitted(limits, Root, PeerRank.Reserved);
        Admitted(limits, Root, PeerRank.Reserved);
        Waiting(limits, Root, PeerRank.Reserved);
    }

    [Fact]
    public void Waiting_connections_get_freed_slots_in_order()
    {
        var limits = new ConnectionLimits(maxConnections: 2, maxPerUser: 5, reserve: 0);
        AdmissionTicket first = Admitted(limits, Alice, PeerRank.Unprivileged);
        AdmissionTicket second = Admitted(limits, Bob, PeerRank.Unprivileged);
        AdmissionTicket third = Waiting(limits, Bob, PeerRank.Unprivileged);
        AdmissionTicket fourth = Waiting(limits, Alice, PeerRank.Unprivileged);

        limits.Release(second);
        Assert.True(Outcome(third));
        Assert.False(fourth.Admitted.IsCompleted);
        limits.Release(first);
        Assert.True(Outcome(fourth));
        Assert.Equal(2, limits.Active);
    }

    [Fact]
    public void A_withdrawn_ticket_gives_up_its_place_and_an_admitted_one_cannot_be_withdrawn()
    {
        var limits = new ConnectionLimits(maxConnections: 1, maxPerUser: 5, reserve: 0);
        AdmissionTicket first = Admitted(limits, Alice, PeerRank.Unprivileged);
        AdmissionTicket gaveUp = Waiting(limits, Bob, PeerRank.Unprivileged);
        AdmissionTicket next = Waiting(limits, Bob, PeerRank.Unprivileged);

        Assert.True(limits.Withdraw(gaveUp));
        Assert.False(Outcome(gaveUp));
        limits.Release(first);
        Assert.True(Outcome(next));
        Assert.False(limits.Withdraw(next));
    }

    [Fact]
    public void Waiting_is_bounded_in_total_and_per_user()
    {
        var limits = new ConnectionLimits(maxConnections: 1, maxPerUser: 1, reserve: 0, maxWaiting: 3, maxWaitingPerUser: 2);
        Admitted(limits, Alice, PeerRank.Unprivileged);
        Waiting(limits, Alice, PeerRank.Unprivileged);
        Waiting(limits, Alice, PeerRank.Unprivileged);
        Assert.Null(limits.Enter(Alice, PeerRank.Unprivileged));
        Waiting(limits, Bob, PeerRank.Unprivileged);
        Assert.Null(limits.Enter(Bob, PeerRank.Unprivileged));
        // Root's waiting room is its own.
        Waiting(limits, Root, PeerRank.Reserved);
    }

    [Fact]
    public void Peers_without_credentials_share_one_bucket()
    {
        var limits = new ConnectionLimits(maxConnections: 10, maxPerUser: 2);
        AdmissionTicket first = Admitted(limits, null, PeerRank.Unprivileged);
        Admitted(limits, null, PeerRank.Unprivileged);
        AdmissionTicket third = Waiting(limits, null, PeerRank.Unprivileged);
        limits.Release(first);
        Assert.True(Outcome(third));
    }
}
