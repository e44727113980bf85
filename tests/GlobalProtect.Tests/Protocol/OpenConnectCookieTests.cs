using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

public sealed class OpenConnectCookieTests
{
    [Fact]
    public void Fields_come_in_protocol_order()
    {
        var jnlp = JnlpParser.Parse(Gp.Jnlp("a1b2", "alice", portal: "GP-Portal", domain: "corp", preferredIp: "10.0.0.7", preferredIpv6: "fd00::7"));

        Assert.Equal(
            "authcookie=a1b2&portal=GP-Portal&user=alice&domain=corp&preferred-ip=10.0.0.7&preferred-ipv6=fd00%3a%3a7&computer=box1",
            OpenConnectCookie.Build(jnlp, "box1"));
    }

    [Fact]
    public void Jnlp_values_are_url_decoded_then_encoded_with_lowercase_escapes_as_openconnect_does()
    {
        var jnlp = JnlpParser.Parse(Gp.Jnlp("a+b/c=%41", "CORP\\alice smith", portal: "GP Portal&1", domain: "%28empty_domain%29"));

        Assert.Equal(
            "authcookie=a%20b%2fc%3dA&portal=GP%20Portal%261&user=CORP%5calice%20smith&domain=%28empty_domain%29&computer=my%20box%c3%a9",
            OpenConnectCookie.Build(jnlp, "my box\u00e9"));
    }

    [Fact]
    public void Empty_optional_values_are_left_out()
    {
        var jnlp = JnlpParser.Parse(Gp.Jnlp("a1", "bob", portal: "(null)", domain: ""));

        Assert.Equal("authcookie=a1&user=bob&computer=c", OpenConnectCookie.Build(jnlp, "c"));
    }
}
