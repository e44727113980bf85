using System.Xml.Linq;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Tests;

public sealed class GlobalProtectXmlTests
{
    [Fact]
    public void Jnlp_puts_each_value_at_the_index_clients_read_it_from()
    {
        var xml = GlobalProtectXml.Jnlp(new JnlpArguments("c0ffee", "p3rs", "fake-gateway", "alice", "10.99.0.7"));

        var arguments = XDocument.Parse(xml).Root!.Element("application-desc")!.Elements("argument").Select(a => a.Value).ToList();
        Assert.Equal(21, arguments.Count);
        Assert.Equal("c0ffee", arguments[1]);
        Assert.Equal("p3rs", arguments[2]);
        Assert.Equal("fake-gateway", arguments[3]);
        Assert.Equal("alice", arguments[4]);
        Assert.Equal("vsys1", arguments[6]);
        Assert.Equal("%28empty_domain%29", arguments[7]);
        Assert.Equal("tunnel", arguments[12]);
        Assert.Equal("4100", arguments[14]);
        Assert.Equal("10.99.0.7", arguments[15]);
    }

    [Fact]
    public void JavaScript_challenge_is_three_statements_each_ending_in_quote_semicolon()
    {
        var text = GlobalProtectXml.JavaScriptChallenge("Enter code", "abc123");

        Assert.Equal(
            ["var respStatus = \"Challenge\";", "var respMsg = \"Enter code\";", "thisForm.inputStr.value = \"abc123\";", ""],
            text.Split('\n'));
    }

    [Fact]
    public void Portal_policy_lists_gateways_with_priority_rules_and_the_cookie()
    {
        GatewayEntry[] gateways =
        [
            new("gw1:443", "Europe", 3, [new("DE", 1), new("Any", 3)]),
            new("gw2:443", "US East", 1, [new("US", 1)]),
        ];

        var policy = XDocument.Parse(GlobalProtectXml.PortalPolicy("portal", gateways, "cookie-1")).Root!;

        var entries = policy.Element("gateways")!.Element("external")!.Element("list")!.Elements("entry").ToList();
        Assert.Equal(["gw1:443", "gw2:443"], entries.Select(e => e.Attribute("name")!.Value));
        Assert.Equal(["Europe", "US East"], entries.Select(e => e.Element("description")!.Value));
        Assert.Equal("3", entries[0].Element("priority")!.Value);
        var rules = entries[0].Element("priority-rule")!.Elements("entry").ToDictionary(r => r.Attribute("name")!.Value, r => r.Element("priority")!.Value);
        Assert.Equal(new Dictionary<string, string> { ["DE"] = "1", ["Any"] = "3" }, rules);
        Assert.Equal("cookie-1", policy.Element("portal-userauthcookie")!.Value);
        Assert.Equal("empty", XDocument.Parse(GlobalProtectXml.PortalPolicy("portal", gateways, null)).Root!.Element("portal-userauthcookie")!.Value);
    }

    [Fact]
    public void Ssl_vpn_config_has_what_openconnect_requires_and_no_esp()
    {
        var config = new GatewayConfig("10.99.0.2", "255.255.255.255", 1400, "/ssl-tunnel-connect.sslvpn",
            ["10.99.0.53", "10.99.0.54"], ["10.99.0.0/16", "10.98.0.0/16"], "10.99.0.53", "fake-gateway", "test", ["corp.test"]);

        var response = XDocument.Parse(GlobalProtectXml.SslVpnConfig(config)).Root!;

        Assert.Equal("response", response.Name.LocalName);
        Assert.Equal("10.99.0.2", response.Element("ip-address")!.Value);
        Assert.Equal("255.255.255.255", response.Element("netmask")!.Value);
        Assert.Equal("1400", response.Element("mtu")!.Value);
        Assert.Equal("/ssl-tunnel-connect.sslvpn", response.Element("ssl-tunnel-url")!.Value);
        Assert.Equal(["10.99.0.53", "10.99.0.54"], response.Element("dns")!.Elements("member").Select(m => m.Value));
        Assert.Equal(["corp.test"], response.Element("dns-suffix")!.Elements("member").Select(m => m.Value));
        Assert.Equal(["10.99.0.0/16", "10.98.0.0/16"], response.Element("access-routes")!.Elements("member").Select(m => m.Value));
        Assert.Null(response.Element("ipsec"));
        Assert.Null(response.Element("gw-address"));
    }

    [Fact]
    public void Malformed_policy_is_not_well_formed()
    {
        Assert.ThrowsAny<System.Xml.XmlException>(() => XDocument.Parse(GlobalProtectXml.MalformedPolicy("127.0.0.1:4443")));
    }

    [Fact]
    public void Saml_prelogin_carries_the_login_url_in_base64()
    {
        var prelogin = XDocument.Parse(GlobalProtectXml.PreloginSaml("US", "https://127.0.0.1:4443/fake-idp/login")).Root!;

        Assert.Equal("REDIRECT", prelogin.Element("saml-auth-method")!.Value);
        Assert.Equal("https://127.0.0.1:4443/fake-idp/login",
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(prelogin.Element("saml-request")!.Value)));
        Assert.Equal("US", prelogin.Element("region")!.Value);
    }
}
