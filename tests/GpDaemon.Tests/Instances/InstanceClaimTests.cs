using GpDaemon.Config;
using GpDaemon.Instances;

namespace GpDaemon.Tests.Instances;

public sealed class InstanceClaimTests
{
    private static readonly InstanceClaim Work = new("work", 42, 1234, "gp-work", "vpn.example.com", "alice");

    [Fact]
    public void A_claim_reads_back_as_written()
    {
        Assert.Equal(Work, InstanceClaim.Parse(Work.Format()));
        var defaultOne = new InstanceClaim(null, 7, 8, null, "vpn.example.com", null);
        Assert.Equal(defaultOne, InstanceClaim.Parse(defaultOne.Format()));
    }

    [Fact]
    public void Control_characters_cannot_forge_a_line()
    {
        var forged = Work with { User = "alice\ninterface=eth0" };
        InstanceClaim parsed = InstanceClaim.Parse(forged.Format())!;
        Assert.Equal("gp-work", parsed.Interface);
        Assert.Equal("aliceinterface=eth0", parsed.User);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pid=1\nportal=p\n")]
    [InlineData("pid=x\nstart=1\nportal=p\n")]
    [InlineData("garbage")]
    public void Incomplete_or_malformed_text_is_no_claim(string text) => Assert.Null(InstanceClaim.Parse(text));

    [Fact]
    public void The_same_interface_or_the_same_portal_and_user_conflict()
    {
        Assert.Equal("interface gp-work", (Work with { Instance = "b", Portal = "other", User = "bob" }).ConflictWith(Work));
        Assert.Equal("portal https://VPN.example.com/ as ALICE",
            (Work with { Instance = "b", Interface = "gp-b", Portal = "https://VPN.example.com/", User = "ALICE" }).ConflictWith(Work));
        Assert.Null((Work with { Instance = "b", Interface = "gp-b", User = "bob" }).ConflictWith(Work));
        Assert.Null((Work with { Instance = "b", Interface = "gp-b", Portal = "vpn2.example.com" }).ConflictWith(Work));
        // The default instance without a configured interface leaves the name to openconnect: nothing to compare.
        Assert.Null((Work with { Instance = null, Interface = null, User = "bob" }).ConflictWith(Work with { Interface = null }));
    }

    [Fact]
    public void An_instance_takes_NAME_paths_and_the_default_keeps_its_own()
    {
        DaemonPaths instance = DaemonPaths.Resolve(null, "/tmp/r/run/work", "/tmp/r/state/work", null, "work");
        Assert.Equal(("/tmp/r/run", "gp-work", "/etc/gpdaemon/work.toml"), (instance.InstancesRoot, instance.DefaultInterface, instance.ConfigFile));
        DaemonPaths main = DaemonPaths.Resolve(null, "/tmp/r/run", "/tmp/r/state", null);
        Assert.Equal(("/tmp/r/run", (string?)null, "/etc/gpdaemon/gpdaemon.toml"), (main.InstancesRoot, main.DefaultInterface, main.ConfigFile));
    }

    [Fact]
    public void The_command_line_takes_a_valid_instance_name_only()
    {
        Assert.Equal("work", DaemonCommandLine.Parse(["--instance", "work"]).Instance);
        Assert.Throws<UsageException>(() => DaemonCommandLine.Parse(["--instance", "../x"]));
        Assert.Throws<UsageException>(() => DaemonCommandLine.Parse(["--instance=.."]));
    }
}
