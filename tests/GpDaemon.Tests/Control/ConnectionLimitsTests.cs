using GpDaemon.Control;

namespace GpDaemon.Tests.Control;

public sealed class ConnectionLimitsTests
{
    private static readonly PeerCredentials Alice = new(10, 1000, 1000, []);
    private static readonly PeerCredentials Bob = new(11, 1001, 1001, []);
    private static readonly PeerCredentials Root = new(12, 0, 0, []);

    [Fact]
    public void One_user_cannot_take_more_than_their_share_and_others_still_get_in()
    {
        var limits = new ConnectionLimits(maxConnections: 10, maxPerUser: 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(Alice, privileged: false));
        }
        Assert.Equal(AdmissionResult.TooManyForUser, limits.TryAdmit(Alice, privileged: false));
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(Bob, privileged: false));
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(Root, privileged: true));

        limits.Release(Alice);
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(Alice, privileged: false));
    }

    [Fact]
    public void Privileged_peers_have_no_share_but_the_total_still_holds()
    {
        var limits = new ConnectionLimits(maxConnections: 4, maxPerUser: 1);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(Root, privileged: true));
        }
        Assert.Equal(AdmissionResult.TooManyConnections, limits.TryAdmit(Root, privileged: true));
        Assert.Equal(AdmissionResult.TooManyConnections, limits.TryAdmit(Alice, privileged: false));
    }

    [Fact]
    public void Peers_without_credentials_share_one_bucket()
    {
        var limits = new ConnectionLimits(maxConnections: 10, maxPerUser: 2);
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(null, privileged: false));
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(null, privileged: false));
        Assert.Equal(AdmissionResult.TooManyForUser, limits.TryAdmit(null, privileged: false));
        limits.Release(null);
        Assert.Equal(AdmissionResult.Admitted, limits.TryAdmit(null, privileged: false));
    }
}
