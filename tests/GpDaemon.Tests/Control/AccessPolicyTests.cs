using GpDaemon.Control;

namespace GpDaemon.Tests.Control;

public sealed class AccessPolicyTests
{
    private static readonly AccessPolicy Policy = new("gpdaemon", 1500, DaemonUid: 998);

    [Theory]
    [InlineData(0u, 0u, new uint[0])]            // root
    [InlineData(998u, 998u, new uint[0])]        // the daemon's own user, e.g. a daemon run by hand
    [InlineData(1000u, 1500u, new uint[0])]      // control group as primary group
    [InlineData(1000u, 1000u, new uint[] { 27, 1500 })] // control group as supplementary group
    public void These_peers_may_control_the_connection(uint uid, uint gid, uint[] groups)
    {
        Assert.True(Policy.MayControl(new PeerCredentials(42, uid, gid, groups)));
    }

    [Theory]
    [InlineData(1000u, 1000u, new uint[] { 27, 100 })]
    [InlineData(65534u, 65534u, new uint[0])]
    [InlineData(1500u, 1000u, new uint[0])] // a uid equal to the group's id is not membership
    public void Others_may_not(uint uid, uint gid, uint[] groups)
    {
        Assert.False(Policy.MayControl(new PeerCredentials(42, uid, gid, groups)));
    }

    [Fact]
    public void Unknown_credentials_are_unprivileged()
    {
        Assert.False(Policy.MayControl(null));
    }

    [Fact]
    public void Without_the_group_on_this_system_only_root_and_the_daemon_user_may()
    {
        var policy = new AccessPolicy("gpdaemon", null, DaemonUid: 998);

        Assert.True(policy.MayControl(new PeerCredentials(1, 0, 0, [])));
        Assert.True(policy.MayControl(new PeerCredentials(1, 998, 998, [])));
        Assert.False(policy.MayControl(new PeerCredentials(1, 1000, 1500, [1500])));
    }
}
