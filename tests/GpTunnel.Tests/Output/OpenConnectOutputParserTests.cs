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
    [InlineData("GPST Dead Peer Detection detected dead peer!", nameof(OutputLineKind.DeadPeer))]
    [InlineData("ESP detected dead peer", nameof(OutputLineKind.DeadPeer))]
    [InlineData("CSTP Dead Peer Detection detected dead peer!", nameof(OutputLineKind.DeadPeer))]
    [InlineData("DTLS Dead Peer Detection detected dead peer!", nameof(OutputLineKind.DeadPeer))]
    [InlineData("Packet receive error: Operation not permitted", nameof(OutputLineKind.ConnectionLost))]
    [InlineData("GlobalProtect rekey due", nameof(OutputLineKind.RekeyDue))]
    [InlineData("sleep 10s, remaining timeout 290s", nameof(OutputLineKind.ReconnectWait))]
    [InlineData("Reconnect failed", nameof(OutputLineKind.ReconnectFailed))]
    [InlineData("ESP session established with server", nameof(OutputLineKind.EspEstablished))]
    [InlineData("ESP tunnel connected; exiting HTTPS mainloop.", nameof(OutputLineKind.EspEstablished))]
    [InlineData("Cookie was rejected by server; exiting.", nameof(OutputLineKind.CookieRejected))]
    [InlineData("Cookie is no longer valid, ending session", nameof(OutputLineKind.CookieRejected))]
    [InlineData("Response was: errors getting SSL/VPN config", nameof(OutputLineKind.CookieRejected))]
    [InlineData("User cancelled (SIGINT/SIGTERM); exiting.", nameof(OutputLineKind.UserCancelled))]
    [InlineData("User detached from session (SIGHUP); exiting.", nameof(OutputLineKind.UserDetached))]
    [InlineData("Unrecoverable I/O error; exiting.", nameof(OutputLineKind.Exiting))]
    [InlineData("Unknown error; exiting.", nameof(OutputLineKind.Exiting))]
    [InlineData("GPST connect failed; exiting", nameof(OutputLineKind.Exiting))]
    [InlineData("Session terminated by server; exiting.", nameof(OutputLineKind.Exiting))]
    [InlineData("Failed to bind local tun device (TUNSETIFF): Operation not permitted", nameof(OutputLineKind.TunSetupFailed))]
    [InlineData("Set up tun device failed", nameof(OutputLineKind.TunSetupFailed))]
    [InlineData("Server SSL certificate didn't match: pin-sha256:abc=", nameof(OutputLineKind.CertificateMismatch))]
    [InlineData("Creating SSL connection failed", nameof(OutputLineKind.ConnectionFailed))]
    [InlineData("Failed to connect to 127.0.0.1:1: Connection refused", nameof(OutputLineKind.ConnectionFailed))]
    [InlineData("Logout successful.", nameof(OutputLineKind.LogoutSucceeded))]
    [InlineData("Logout failed.", nameof(OutputLineKind.LogoutFailed))]
    [InlineData("POST https://127.0.0.1:44989/ssl-vpn/hipreportcheck.esp", nameof(OutputLineKind.HipCheckRequest))]
    [InlineData("No MTU received. Calculated 1406 for SSL tunnel. ESP disabled", nameof(OutputLineKind.Notice))]
    [InlineData("Set up UDP failed; using SSL instead", nameof(OutputLineKind.Notice))]
    [InlineData("Did not receive ESP keys and matching gateway in GlobalProtect config; tunnel will be TLS only.", nameof(OutputLineKind.Notice))]
    [InlineData("POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp", nameof(OutputLineKind.Other))]
    [InlineData("Connected to HTTPS on 127.0.0.1 with ciphersuite (TLS1.3)-(AES-256-GCM)", nameof(OutputLineKind.Other))]
    [InlineData("", nameof(OutputLineKind.Blank))]
    public void Lines_openconnect_prints_are_classified(string text, string kind)
    {
        Assert.Equal(Enum.Parse<OutputLineKind>(kind), Parse(text).Kind);
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
