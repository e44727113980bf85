using GlobalProtect.Protocol;

namespace GlobalProtect.Tests.Protocol;

public sealed class LoginFormTests
{
    private static readonly ClientIdentity Identity = new(Computer: "testbox");

    [Fact]
    public void Password_form_matches_the_protocol_doc_field_for_field_with_lowercase_escapes()
    {
        var form = new LoginForm(Identity, "vpn.example.com", "alice", "p@ss word&+");

        Assert.Equal(
            "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&prot=https:&internal=no&ipv6-support=yes" +
            "&clientos=Linux&os-version=linux-64&server=vpn.example.com&computer=testbox&user=alice&passwd=p%40ss%20word%26%2b",
            form.Encode());
    }

    [Fact]
    public void Cookies_and_input_string_come_before_user_and_passwd()
    {
        var form = new LoginForm(Identity with { ClientOs = "Windows", OsVersion = "win" }, "gw", "bob", "654321")
        {
            PortalUserAuthCookie = "C/1=",
            PortalPrelogonUserAuthCookie = "P",
            InputStr = "abcd1234",
        };

        Assert.Equal(
            "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&prot=https:&internal=no&ipv6-support=yes" +
            "&clientos=Windows&os-version=win&server=gw&computer=testbox" +
            "&portal-userauthcookie=C%2f1%3d&portal-prelogonuserauthcookie=P&inputStr=abcd1234&user=bob&passwd=654321",
            form.Encode());
    }

    [Fact]
    public void Prelogin_paths_carry_the_parameters_in_the_query()
    {
        Assert.Equal("/global-protect/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Linux", GpPaths.Prelogin(true, Identity));
        Assert.Equal("/ssl-vpn/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Mac", GpPaths.Prelogin(false, Identity with { ClientOs = "Mac" }));
    }

    [Fact]
    public void ToString_hides_password_and_cookies()
    {
        var form = new LoginForm(Identity, "gw", "bob", "PASSWORD1") { PortalUserAuthCookie = "COOKIE1", PortalPrelogonUserAuthCookie = "COOKIE2" };

        var text = form.ToString();

        Assert.DoesNotContain("PASSWORD1", text);
        Assert.DoesNotContain("COOKIE1", text);
        Assert.DoesNotContain("COOKIE2", text);
        Assert.Contains("bob", text);
    }
}
