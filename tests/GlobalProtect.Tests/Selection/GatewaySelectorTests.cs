using GlobalProtect.Protocol;
using GlobalProtect.Selection;

namespace GlobalProtect.Tests.Selection;

public sealed class GatewaySelectorTests
{
    private static PortalGateway Gw(string address, string? description = null, int? priority = null, bool isInternal = false, params (string, int)[] rules) =>
        new(address, description, priority, rules.Select(r => new PriorityRule(r.Item1, r.Item2)).ToList(), isInternal);

    [Fact]
    public void One_gateway_is_taken()
    {
        var only = Gw("gw1", "Only", 5, rules: ("EU", 3));

        Assert.Same(only, GatewaySelector.Choose([only], null, "US"));
    }

    [Fact]
    public void Region_rule_wins_over_any()
    {
        var anyBest = Gw("gw1", rules: ("Any", 1));
        var usRule = Gw("gw2", rules: [("Any", 5), ("US", 2)]);

        Assert.Same(usRule, GatewaySelector.Choose([anyBest, usRule], null, "us"));
    }

    [Fact]
    public void Lowest_region_priority_wins()
    {
        var a = Gw("gw1", rules: ("US", 3));
        var b = Gw("gw2", rules: ("US", 1));
        var c = Gw("gw3", rules: ("EU", 0));

        Assert.Same(b, GatewaySelector.Choose([a, b, c], null, "US"));
    }

    [Fact]
    public void Any_decides_when_no_gateway_has_a_rule_for_the_region()
    {
        var a = Gw("gw1", priority: 1, rules: ("Any", 4));
        var b = Gw("gw2", priority: 9, rules: ("Any", 2));

        Assert.Same(b, GatewaySelector.Choose([a, b], null, "JP"));
        Assert.Same(b, GatewaySelector.Choose([a, b], null, null));
    }

    [Fact]
    public void Plain_priority_then_document_order_break_ties()
    {
        var a = Gw("gw1", priority: 3);
        var b = Gw("gw2", priority: 2);
        var c = Gw("gw3", priority: 2);
        var d = Gw("gw4");

        Assert.Same(b, GatewaySelector.Choose([a, b, c, d], null, "US"));
        Assert.Same(a, GatewaySelector.Choose([a, Gw("gw5", priority: 3)], null, "US"));
    }

    [Fact]
    public void Internal_gateways_are_chosen_only_by_name_or_when_there_is_no_external_one()
    {
        var external = Gw("gw1", "Outside", 5);
        var inside = Gw("10.0.0.1", "HQ", 1, isInternal: true);

        Assert.Same(external, GatewaySelector.Choose([external, inside], null, null));
        Assert.Same(inside, GatewaySelector.Choose([external, inside], "hq", null));
        Assert.Same(inside, GatewaySelector.Choose([inside], null, null));
    }

    [Theory]
    [InlineData("europe")]
    [InlineData("EUROPE")]
    [InlineData("GW2.example.com:4443")]
    [InlineData("https://gw2.example.com:4443/")]
    public void User_choice_by_description_or_address_is_case_insensitive(string requested)
    {
        var us = Gw("gw1.example.com", "US East", 1);
        var eu = Gw("gw2.example.com:4443", "Europe", 9);

        Assert.Same(eu, GatewaySelector.Choose([us, eu], requested, "US"));
    }

    [Fact]
    public void Default_port_is_the_same_address()
    {
        var gateway = Gw("gw1.example.com:443", "One");

        Assert.Same(gateway, GatewaySelector.Choose([Gw("gw0"), gateway], "gw1.example.com", null));
    }

    [Fact]
    public void Unknown_choice_lists_the_available_gateways()
    {
        PortalGateway[] gateways = [Gw("gw1.example.com", "US East"), Gw("gw2.example.com")];

        var ex = Assert.Throws<PortalException>(() => GatewaySelector.Choose(gateways, "Mars", null));

        Assert.Equal("gateway 'Mars' is not offered; available gateways: US East (gw1.example.com), gw2.example.com", ex.Message);
    }

    [Fact]
    public void No_gateways_is_an_error()
    {
        Assert.Equal("portal returned no gateways", Assert.Throws<PortalException>(() => GatewaySelector.Choose([], null, null)).Message);
    }
}
