using GpTunnel.Output;

namespace GpTunnel.Tests.Output;

public sealed class SecretRedactorTests
{
    private const string Cookie = "authcookie=0123456789abcdef&portal=gp&user=alice&portal-userauthcookie=c%2Fx%3D99zz&computer=pc";

    [Fact]
    public void Whole_cookie_and_each_cookie_value_are_masked()
    {
        var redactor = new SecretRedactor(Cookie);
        Assert.Equal("body: ***", redactor.Redact("body: " + Cookie));
        Assert.Equal("GET /ssl-tunnel-connect.sslvpn?user=alice&authcookie=***",
            redactor.Redact("GET /ssl-tunnel-connect.sslvpn?user=alice&authcookie=0123456789abcdef"));
        Assert.Equal("puac=*** decoded=***", redactor.Redact("puac=c%2Fx%3D99zz decoded=c/x=99zz"));
    }

    [Fact]
    public void Values_that_log_nobody_in_stay_readable()
    {
        var redactor = new SecretRedactor(Cookie);
        Assert.Equal("user alice on portal gp from pc", redactor.Redact("user alice on portal gp from pc"));
    }
}
