using GlobalProtect.Protocol;

namespace GlobalProtect.Tests.Protocol;

public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("vpn.example.com", "vpn.example.com", 443, "vpn.example.com")]
    [InlineData("VPN.Example.com:8443", "vpn.example.com", 8443, "vpn.example.com:8443")]
    [InlineData("https://vpn.example.com/", "vpn.example.com", 443, "vpn.example.com")]
    [InlineData("https://vpn.example.com:4443/global-protect", "vpn.example.com", 4443, "vpn.example.com:4443")]
    [InlineData(" 127.0.0.1:10443 ", "127.0.0.1", 10443, "127.0.0.1:10443")]
    [InlineData("[::1]:8443", "[::1]", 8443, "[::1]:8443")]
    public void Accepts_host_host_port_and_https_urls(string text, string host, int port, string authority)
    {
        var address = ServerAddress.Parse(text, "portal");

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(authority, address.Authority);
        Assert.Equal(new Uri($"https://{authority}/"), address.BaseUri);
    }

    [Fact]
    public void Bare_host_drops_ipv6_brackets()
    {
        Assert.Equal("::1", ServerAddress.Parse("[::1]", "portal").BareHost);
    }

    [Theory]
    [InlineData("", "the portal address is empty")]
    [InlineData("http://vpn.example.com", "the portal address 'http://vpn.example.com' must use https")]
    [InlineData("vpn example com", "the portal address 'vpn example com' is not a host name, host:port or https URL")]
    public void Refuses_what_is_not_an_https_server(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<GlobalProtectException>(() => ServerAddress.Parse(text, "portal")).Message);
    }
}
