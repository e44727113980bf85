using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

public sealed class JnlpParserTests
{
    [Fact]
    public void Reads_positional_arguments()
    {
        var jnlp = JnlpParser.Parse(Gp.Jnlp("AUTH", "alice", portal: "GP-Portal", preferredIp: "10.1.2.3", preferredIpv6: "fd00::3", portalCookie: "PC"));

        Assert.Equal("AUTH", jnlp.AuthCookie);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", jnlp.PersistentCookie);
        Assert.Equal("GP-Portal", jnlp.PortalName);
        Assert.Equal("alice", jnlp.User);
        Assert.Equal("LDAP-auth", jnlp.AuthenticationSource);
        Assert.Equal("vsys1", jnlp.Configuration);
        Assert.Equal("(empty_domain)", jnlp.Domain);
        Assert.Equal("tunnel", jnlp.ConnectionType);
        Assert.Equal("4100", jnlp.ClientVersion);
        Assert.Equal("10.1.2.3", jnlp.PreferredIp);
        Assert.Equal("PC", jnlp.PortalUserAuthCookie);
        Assert.Equal("fd00::3", jnlp.PreferredIpv6);
    }

    [Fact]
    public void Null_markers_read_as_empty()
    {
        var jnlp = JnlpParser.Parse(Gp.Jnlp("AUTH", "alice", portal: "(null)", domain: "-1"));

        Assert.Null(jnlp.PortalName);
        Assert.Null(jnlp.Domain);
        Assert.Null(jnlp.PasswordExpirationDays); // "-1"
        Assert.Null(jnlp.PreferredIp); // ""
        Assert.Null(jnlp.PortalPrelogonUserAuthCookie);
    }

    [Fact]
    public void Argument_12_must_be_tunnel()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse(Gp.Jnlp("AUTH", "alice", connectionType: "x")));

        Assert.Equal("gateway login: jnlp argument 12 is 'x', expected 'tunnel'", ex.Message);
    }

    [Fact]
    public void Short_argument_list_lacks_argument_12()
    {
        const string xml = "<jnlp><application-desc><argument/><argument>AUTH</argument><argument/><argument/><argument>alice</argument></application-desc></jnlp>";

        var ex = Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse(xml));

        Assert.Equal("gateway login: jnlp argument 12 is missing, expected 'tunnel'", ex.Message);
    }

    [Fact]
    public void Authcookie_and_user_are_required()
    {
        Assert.Equal(
            "gateway login: jnlp argument 1 (authcookie) is missing",
            Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse(Gp.Jnlp("(null)", "alice"))).Message);
        Assert.Equal(
            "gateway login: jnlp argument 4 (user) is missing",
            Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse(Gp.Jnlp("AUTH", ""))).Message);
    }

    [Fact]
    public void Wrong_shapes_are_named()
    {
        Assert.Equal(
            "gateway login: expected <jnlp>, got <policy>",
            Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse("<policy/>")).Message);
        Assert.Equal(
            "gateway login: <jnlp> without <application-desc>",
            Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse("<jnlp><information/></jnlp>")).Message);
    }

    [Fact]
    public void Truncated_jnlp_names_what_was_expected()
    {
        var xml = Gp.Jnlp("AUTH", "alice");

        var ex = Assert.Throws<GlobalProtectException>(() => JnlpParser.Parse(xml[..^40]));

        Assert.StartsWith("gateway login: malformed XML where <jnlp> was expected", ex.Message);
        Assert.DoesNotContain("AUTH", ex.Message);
    }

    [Fact]
    public void ToString_hides_cookies()
    {
        var text = JnlpParser.Parse(Gp.Jnlp("SECRETAUTH", "alice", portalCookie: "SECRETPORTAL")).ToString();

        Assert.DoesNotContain("SECRETAUTH", text);
        Assert.DoesNotContain("SECRETPORTAL", text);
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef01234567", text);
        Assert.Contains("alice", text);
    }
}
