using GpTunnel.Output;

namespace GpTunnel.Tests.Output;

public sealed class OpenConnectOutputParserTests
{
    private static OutputLine Parse(string line) => OpenConnectOutputParser.Parse(line, TimeZoneInfo.Utc);

    [Fact]
    public void Configured_line_of_an_ssl_tunnel_gives_the_ipv4_address()
    {
        var line = Parse("Configured as 10.99.0.2, with SSL connected and ESP disabled");
        Assert.Equal(OutputLineKind.Configured, line.Kind);
        Assert.Equal("10.99.0.2", line.Ipv4);
        Assert.Null(line.Ipv6);
        Assert.True(line.SslConnected);
    }

    [Fact]
    public void Configured_line_with_ipv6_gives_both_addresses()
    {
        var line = Parse("Configured as 10.99.0.2 + fd00:99::2/64, with SSL disconnected and ESP established");
        Assert.Equal(("10.99.0.2", "fd00:99::2/64", false), (line.Ipv4, line.Ipv6, line.SslConnected));
    }

    [Fact]
    public void Configured_line_of_an_ipv6_only_tunnel_is_not_taken_for_ipv4()
    {
        var line = Parse("Configured as fd00:99::2/64, with SSL connected and ESP disabled");
        Assert.Null(line.Ipv4);
        Assert.Equal("fd00:99::2/64", line.Ipv6);
    }

    [Fact]
    public void Configured_line_with_compression_is_understood()
    {
        var line = Parse("Configured as 10.0.0.7, with SSL + lzs connected and ESP + lzo in progress");
        Assert.Equal(OutputLineKind.Configured, line.Kind);
        Assert.Equal("10.0.0.7", line.Ipv4);
    }

    [Fact]
    public void Session_expiry_is_read_as_local_time_of_the_given_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");
        var line = OpenConnectOutputParser.Parse("Session authentication will expire at Wed Oct  8 09:54:32 2025", zone);
        Assert.Equal(OutputLineKind.SessionExpires, line.Kind);
        Assert.Equal(new DateTimeOffset(2025, 10, 8, 9, 54, 32, TimeSpan.FromHours(2)), line.Expires);
    }

    [Theory]
    [InlineData("GPST Dead Peer Detection detected dead peer!", OutputLineKind.DeadPeer)]
    [InlineData("ESP detected dead peer", OutputLineKind.DeadPeer)]
    [InlineData("Packet receive error: Operation not permitted", OutputLineKind.ConnectionLost)]
    [InlineData("GlobalProtect rekey due", OutputLineKind.RekeyDue)]
    [InlineData("sleep 10s, remaining timeout 290s", OutputLineKind.ReconnectWait)]
    [InlineData("Reconnect failed", OutputLineKind.ReconnectFailed)]
    [InlineData("ESP session established with server", OutputLineKind.EspEstablished)]
    [InlineData("ESP tunnel connected; exiting HTTPS mainloop.", OutputLineKind.EspEstablished)]
    [InlineData("Cookie was rejected by server; exiting.", OutputLineKind.CookieRejected)]
    [InlineData("Cookie is no longer valid, ending session", OutputLineKind.CookieRejected)]
    [InlineData("Response was: errors getting SSL/VPN config", OutputLineKind.CookieRejected)]
    [InlineData("User cancelled (SIGINT/SIGTERM); exiting.", OutputLineKind.UserCancelled)]
    [InlineData("User detached from session (SIGHUP); exiting.", OutputLineKind.UserDetached)]
    [InlineData("Unrecoverable I/O error; exiting.", OutputLineKind.Exiting)]
    [InlineData("Unknown error; exiting.", OutputLineKind.Exiting)]
    [InlineData("GPST connect failed; exiting", OutputLineKind.Exiting)]
    [InlineData("Session terminated by server; exiting.", OutputLineKind.Exiting)]
    [InlineData("Failed to bind local tun device (TUNSETIFF): Operation not permitted", OutputLineKind.TunSetupFailed)]
    [InlineData("Set up tun device failed", OutputLineKind.TunSetupFailed)]
    [InlineData("Server SSL certificate didn't match: pin-sha256:abc=", OutputLineKind.CertificateMismatch)]
    [InlineData("Creating SSL connection failed", OutputLineKind.ConnectionFailed)]
    [InlineData("Failed to connect to 127.0.0.1:1: Connection refused", OutputLineKind.ConnectionFailed)]
    [InlineData("Logout successful.", OutputLineKind.LogoutSucceeded)]
    [InlineData("Logout failed.", OutputLineKind.LogoutFailed)]
    [InlineData("POST https://127.0.0.1:44989/ssl-vpn/hipreportcheck.esp", OutputLineKind.HipCheckRequest)]
    [InlineData("No MTU received. Calculated 1406 for SSL tunnel. ESP disabled", OutputLineKind.Notice)]
    [InlineData("Set up UDP failed; using SSL instead", OutputLineKind.Notice)]
    [InlineData("Did not receive ESP keys and matching gateway in GlobalProtect config; tunnel will be TLS only.", OutputLineKind.Notice)]
    [InlineData("POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp", OutputLineKind.Other)]
    [InlineData("Connected to HTTPS on 127.0.0.1 with ciphersuite (TLS1.3)-(AES-256-GCM)", OutputLineKind.Other)]
    [InlineData("", OutputLineKind.Blank)]
    public void Lines_openconnect_prints_are_classified(string text, OutputLineKind kind)
    {
        Assert.Equal(kind, Parse(text).Kind);
    }

    [Fact]
    public void Generic_exit_lines_yield_to_specific_errors()
    {
        Assert.True(Parse("Unknown error; exiting.").IsGenericFailure);
        Assert.True(Parse("Creating SSL connection failed").IsGenericFailure);
        Assert.False(Parse("Cookie was rejected by server; exiting.").IsGenericFailure);
        Assert.True(Parse("Cookie was rejected by server; exiting.").IsError);
    }
}
