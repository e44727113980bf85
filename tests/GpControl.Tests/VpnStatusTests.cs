namespace GpControl.Tests;

public sealed class VpnStatusTests
{
    private static VpnStatus Status(string state) => new() { State = state, DaemonPid = 1, Version = "0.1.0", Portal = "vpn.example.com" };

    private static readonly Gateway UsEast = new("US East", "gw1.example.com", 1);

    [Fact]
    public void Connected_names_portal_gateway_and_address()
    {
        VpnStatus status = Status("Connected") with { Gateway = UsEast, Ipv4 = "10.1.2.3" };

        Assert.Equal("Connected to vpn.example.com via US East, 10.1.2.3", status.Summary());
    }

    [Fact]
    public void Connected_without_gateway_or_address_leaves_them_out()
    {
        Assert.Equal("Connected to vpn.example.com", Status("Connected").Summary());
    }

    [Fact]
    public void Needs_input_shows_the_prompt()
    {
        VpnStatus status = Status("NeedsInput") with { Prompt = new Prompt("ab12", "Enter the one-time code", Secret: true) };

        Assert.Equal("Waiting for input for vpn.example.com: Enter the one-time code", status.Summary());
    }

    [Fact]
    public void Failed_gives_the_reason()
    {
        VpnStatus status = Status("Failed") with { Message = "authentication failed" };

        Assert.Equal("Failed (vpn.example.com): authentication failed", status.Summary());
    }

    [Theory]
    [InlineData("Authenticating", "Authenticating to vpn.example.com")]
    [InlineData("Connecting", "Connecting to vpn.example.com via US East")]
    [InlineData("Disconnecting", "Disconnecting from vpn.example.com")]
    [InlineData("Disconnected", "Disconnected")]
    public void Other_states_read_naturally(string state, string summary)
    {
        Assert.Equal(summary, (Status(state) with { Gateway = UsEast }).Summary());
    }

    [Fact]
    public void Reconnecting_says_why()
    {
        VpnStatus status = Status("Reconnecting") with { Message = "gateway unreachable; retrying in 4 s" };

        Assert.Equal("Reconnecting to vpn.example.com: gateway unreachable; retrying in 4 s", status.Summary());
    }

    [Fact]
    public void Failed_without_portal_or_reason_is_just_failed()
    {
        Assert.Equal("Failed", (Status("Failed") with { Portal = null }).Summary());
    }

    [Fact]
    public void A_state_this_client_does_not_know_reads_as_failed()
    {
        VpnStatus status = Status("Hibernating");

        Assert.Equal(VpnState.Failed, status.StateValue);
        Assert.StartsWith("Failed", status.Summary());
    }
}
