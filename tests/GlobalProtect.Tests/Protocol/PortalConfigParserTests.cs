using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

public sealed class PortalConfigParserTests
{
    [Fact]
    public void Reads_external_and_internal_gateways_with_priorities_and_rules()
    {
        var xml = Gp.Policy(
            [
                Gp.Gateway("gw1.example.com", "US East", 1, ("Any", 3), ("US", 1)),
                Gp.Gateway("gw2.example.com:4443", "Europe", 2),
            ],
            [Gp.Gateway("10.0.0.1", "HQ")],
            portalCookie: "PCOOKIE",
            prelogonCookie: "PRELOGON");

        var config = PortalConfigParser.Parse(xml);

        Assert.Equal("GP-Portal", config.PortalName);
        Assert.Equal("10.2.4", config.Version);
        Assert.Equal("PCOOKIE", config.PortalUserAuthCookie);
        Assert.Equal("PRELOGON", config.PortalPrelogonUserAuthCookie);
        Assert.Equal(3600, config.HipReportInterval);
        Assert.Collection(
            config.Gateways,
            g =>
            {
                Assert.Equal("gw1.example.com", g.Address);
                Assert.Equal("US East", g.Description);
                Assert.Equal(1, g.Priority);
                Assert.Equal([new PriorityRule("Any", 3), new PriorityRule("US", 1)], g.PriorityRules);
                Assert.False(g.Internal);
            },
            g =>
            {
                Assert.Equal("gw2.example.com:4443", g.Address);
                Assert.Equal("Europe", g.Description);
                Assert.Empty(g.PriorityRules);
            },
            g =>
            {
                Assert.Equal("10.0.0.1", g.Address);
                Assert.True(g.Internal);
                Assert.Null(g.Priority);
            });
        var root = Assert.Single(config.RootCertificates);
        Assert.Equal("Corp Root", root.Name);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", root.Pem);
    }

    [Fact]
    public void Cookie_written_as_empty_means_none()
    {
        var config = PortalConfigParser.Parse(Gp.Policy([Gp.Gateway("gw")]));

        Assert.Null(config.PortalUserAuthCookie);
        Assert.Null(config.PortalPrelogonUserAuthCookie);
    }

    [Fact]
    public void Minimal_policy_with_missing_optional_parts_is_accepted()
    {
        var config = PortalConfigParser.Parse("<policy><gateways><external><list><entry name=\"gw\"/></list></external></gateways></policy>");

        var gateway = Assert.Single(config.Gateways);
        Assert.Equal("gw", gateway.Address);
        Assert.Equal("gw", gateway.Name);
        Assert.Null(gateway.Description);
        Assert.Null(config.PortalUserAuthCookie);
        Assert.Null(config.PortalName);
        Assert.Null(config.HipReportInterval);
        Assert.Empty(config.RootCertificates);
    }

    [Fact]
    public void Policy_without_gateways_parses_to_an_empty_list()
    {
        Assert.Empty(PortalConfigParser.Parse("<policy><portal-name>p</portal-name></policy>").Gateways);
        Assert.Empty(PortalConfigParser.Parse("<policy><gateways><external><list/></external></gateways></policy>").Gateways);
    }

    [Fact]
    public void Gateway_names_are_made_safe_and_addresses_with_control_characters_are_skipped()
    {
        const string xml = "<policy><portal-name>portal\u009b2J</portal-name><gateways><external><list>" +
            "<entry name=\"evil\u202e.example\"><description>shown</description></entry>" +
            "<entry name=\"gw.example.com\"><description>US\u202eEast\nINFO forged</description></entry>" +
            "</list></external></gateways></policy>";

        PortalConfig config = PortalConfigParser.Parse(xml);

        var gateway = Assert.Single(config.Gateways);
        Assert.Equal("gw.example.com", gateway.Address);
        Assert.Equal("US\\u202EEast INFO forged", gateway.Description);
        Assert.Equal("portal\\x9B2J", config.PortalName);
    }

    [Fact]
    public void Entries_without_address_and_unreadable_priorities_are_skipped()
    {
        const string xml = """
            <policy><gateways><external><list>
              <entry><description>nameless</description></entry>
              <entry name="gw"><priority>high</priority>
                <priority-rule><entry name="US"><priority>x</priority></entry><entry name="Any"><priority>2</priority></entry></priority-rule>
              </entry>
            </list></external></gateways></policy>
            """;

        var gateway = Assert.Single(PortalConfigParser.Parse(xml).Gateways);
        Assert.Null(gateway.Priority);
        Assert.Equal([new PriorityRule("Any", 2)], gateway.PriorityRules);
    }

    [Fact]
    public void Other_root_is_named()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => PortalConfigParser.Parse(Gp.Jnlp("c", "u")));

        Assert.Equal("portal getconfig: expected <policy>, got <jnlp>", ex.Message);
    }

    [Fact]
    public void Truncated_policy_names_what_was_expected()
    {
        var xml = Gp.Policy([Gp.Gateway("gw")]);

        var ex = Assert.Throws<GlobalProtectException>(() => PortalConfigParser.Parse(xml[..(xml.Length / 2)]));

        Assert.StartsWith("portal getconfig: malformed XML where <policy> was expected", ex.Message);
    }

    [Fact]
    public void ToString_hides_the_cookies()
    {
        var config = PortalConfigParser.Parse(Gp.Policy([Gp.Gateway("gw")], portalCookie: "SECRETCOOKIE", prelogonCookie: "SECRETPRELOGON"));

        Assert.DoesNotContain("SECRETCOOKIE", config.ToString());
        Assert.DoesNotContain("SECRETPRELOGON", config.ToString());
    }
}
