using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public sealed class GatewayChoiceFlowTests : FlowTestBase
{
    private static readonly string[] Entries =
    [
        Gp.Gateway("gw-any.example.com", "Anywhere", 1, ("Any", 1)),
        Gp.Gateway("gw-us.example.com", "US East", 3, ("Any", 4), ("US", 2)),
        Gp.Gateway("gw-eu.example.com:4443", "Europe", 2, ("Any", 5), ("EU", 1)),
    ];

    [Theory]
    [InlineData("US", "gw-us.example.com", 2)]
    [InlineData("EU", "gw-eu.example.com:4443", 1)]
    [InlineData("JP", "gw-any.example.com", 1)]
    [InlineData(null, "gw-any.example.com", 1)]
    public async Task Priority_rules_for_the_prelogin_region_choose_the_gateway(string? region, string expected, int priority)
    {
        var server = new FakeGpServer { GatewayEntries = Entries, Region = region };

        var result = await LoginAsync(server, Request());

        Assert.Equal(expected, result.Gateway.Address);
        Assert.Equal(priority, result.Gateway.Priority);
        Assert.Equal(expected, server.To("/ssl-vpn/login.esp").Single().Authority);
        Assert.Equal(["gw-any.example.com", "gw-us.example.com", "gw-eu.example.com:4443"], result.Gateways.Select(g => g.Address));
    }

    [Fact]
    public async Task User_named_gateway_wins_over_priority()
    {
        var server = new FakeGpServer { GatewayEntries = Entries };

        var result = await LoginAsync(server, Request(gateway: "europe"));

        Assert.Equal(new GatewayInfo("Europe", "gw-eu.example.com:4443", 5), result.Gateway);
        var login = server.To("/ssl-vpn/login.esp").Single();
        Assert.Equal("gw-eu.example.com:4443", login.Authority);
        Assert.Equal("gw-eu.example.com", login.Field("server"));
    }

    [Fact]
    public async Task Unknown_gateway_name_lists_what_the_portal_offers()
    {
        var server = new FakeGpServer { GatewayEntries = Entries };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request(gateway: "Mars")));

        Assert.Equal(
            "gateway 'Mars' is not offered; available gateways: Anywhere (gw-any.example.com), US East (gw-us.example.com), Europe (gw-eu.example.com:4443)",
            ex.Message);
        Assert.Empty(server.To("/ssl-vpn/login.esp"));
    }

    [Fact]
    public async Task Portal_without_gateways_is_an_error()
    {
        var server = new FakeGpServer { GatewayEntries = [] };

        var ex = await Assert.ThrowsAsync<PortalException>(() => LoginAsync(server, Request()));

        Assert.Equal("portal returned no gateways", ex.Message);
    }
}
