using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Xml.Linq;
using FakeGlobalProtect.Tests.Support;
using FakeGlobalProtect.Tunnel;

namespace FakeGlobalProtect.Tests;

/// <summary>The fake's HTTP and tunnel wire format, driven byte by byte over one real TLS connection.</summary>
public sealed class FakeServerWireTests
{
    private static string Post(string path, string host, string? body)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: PAN GlobalProtect\r\n";
        return body is null
            ? head + "\r\n"
            : head + $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    [Fact]
    public async Task Whole_session_runs_on_one_keep_alive_connection_and_switches_to_the_tunnel()
    {
        await using var fake = InProcessFake.Start();
        var host = fake.Server.LocalEndPoint.ToString();
        await using var client = await RawTlsClient.ConnectAsync(fake.Server.LocalEndPoint, fake.Pin);

        // Like openconnect: prelogin has no body and no Content-Length.
        await client.WriteAsync(Post("/global-protect/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Linux", host, null));
        var prelogin = await client.ReadResponseAsync();
        Assert.Equal(200, prelogin.Status);
        Assert.Equal("keep-alive", prelogin.Headers["Connection"]);
        Assert.Equal("US", XDocument.Parse(prelogin.Body).Root!.Element("region")!.Value);

        await client.WriteAsync(Post("/ssl-vpn/login.esp", host, "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&user=test&passwd=secret"));
        var login = await client.ReadResponseAsync();
        var arguments = XDocument.Parse(login.Body).Root!.Descendants("argument").Select(a => a.Value).ToList();
        var session = $"authcookie={arguments[1]}&portal={arguments[3]}&user={arguments[4]}&domain=x&computer=vm";

        await client.WriteAsync(Post("/ssl-vpn/getconfig.esp", host, "client-type=1&protocol-version=p1&" + session));
        var config = XDocument.Parse((await client.ReadResponseAsync()).Body).Root!;
        Assert.Equal("10.99.0.2", config.Element("ip-address")!.Value);
        var tunnelPath = config.Element("ssl-tunnel-url")!.Value;

        await client.WriteAsync(Post("/ssl-vpn/hipreportcheck.esp", host, "client-role=global-protect-full&" + session));
        Assert.Contains("<hip-report-needed>no</hip-report-needed>", (await client.ReadResponseAsync()).Body, StringComparison.Ordinal);

        // The tunnel request: no Host header, no other header.
        await client.WriteAsync($"GET {tunnelPath}?user=test&authcookie={arguments[1]} HTTP/1.1\r\n\r\n");
        Assert.Equal("START_TUNNEL"u8.ToArray(), await client.ReadExactlyAsync(12));

        var probeHeader = await client.ReadExactlyAsync(TunnelFrame.HeaderLength);
        Assert.True(TunnelFrame.TryReadHeader(probeHeader, out var etherType, out var length));
        Assert.Equal(TunnelFrame.EtherTypeIpv4, etherType);
        Assert.Equal(1, probeHeader[8]);
        var probe = await client.ReadExactlyAsync(length);
        Assert.Equal(IpPacket.IcmpEchoRequest, probe[20]);
        Assert.Equal("10.99.0.2", new IPAddress(probe.AsSpan(16, 4)).ToString());

        await client.WriteAsync(TunnelFrame.Keepalive());
        Assert.Equal(TunnelFrame.Keepalive(), await client.ReadExactlyAsync(TunnelFrame.HeaderLength));

        var ping = IpPacket.IcmpEcho(IPAddress.Parse("10.99.0.2"), IPAddress.Parse("10.99.0.53"), IpPacket.IcmpEchoRequest, 5, 6, "hi"u8);
        await client.WriteAsync(TunnelFrame.Encode(TunnelFrame.EtherTypeIpv4, ping));
        var replyHeader = await client.ReadExactlyAsync(TunnelFrame.HeaderLength);
        Assert.True(TunnelFrame.TryReadHeader(replyHeader, out _, out var replyLength));
        Assert.Equal(IpPacket.EchoReplyFor(ping), await client.ReadExactlyAsync(replyLength));

        var events = fake.Events.Events.Select(e => e.Name).ToList();
        Assert.Equal(["prelogin", "gateway-login", "ssl-getconfig", "hipreportcheck", "tunnel-connect", "packet-sent", "keepalive", "packet", "packet-sent"], events);
        var packet = fake.Events.Named("packet").Single();
        Assert.Equal(ping.Length.ToString(CultureInfo.InvariantCulture), packet["len"]);
        Assert.Equal("10.99.0.53", packet["dst"]);
    }

    [Fact]
    public async Task Connection_close_is_honoured_and_unknown_paths_get_404()
    {
        await using var fake = InProcessFake.Start();
        await using var client = await RawTlsClient.ConnectAsync(fake.Server.LocalEndPoint, fake.Pin);

        await client.WriteAsync("GET /global-protect/missing.esp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(404, response.Status);
        Assert.Equal("close", response.Headers["Connection"]);
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        Assert.Null(await client.Reader.ReadHeadAsync(cts.Token));
        Assert.Equal("404", fake.Events.Named("http-error").Single()["status"]);
    }

    [Fact]
    public async Task Garbage_gets_400_and_a_closed_connection()
    {
        await using var fake = InProcessFake.Start();
        await using var client = await RawTlsClient.ConnectAsync(fake.Server.LocalEndPoint, fake.Pin);

        await client.WriteAsync("this is not http\r\n\r\n");

        Assert.Equal(400, (await client.ReadResponseAsync()).Status);
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        Assert.Null(await client.Reader.ReadHeadAsync(cts.Token));
    }

    [Fact]
    public async Task Hang_scenario_reads_the_prelogin_and_never_answers()
    {
        await using var fake = InProcessFake.Start("--scenario", "hang");
        await using var client = await RawTlsClient.ConnectAsync(fake.Server.LocalEndPoint, fake.Pin);

        await client.WriteAsync(Post("/global-protect/prelogin.esp", "x", null));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var read = client.Reader.ReadHeadAsync(cts.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.Equal("hang", fake.Events.Named("prelogin").Single()["result"]);
    }

    [Fact]
    public async Task Drop_tunnel_cuts_the_connection_after_start_tunnel()
    {
        await using var fake = InProcessFake.Start("--scenario", "drop-tunnel");
        await using var client = await RawTlsClient.ConnectAsync(fake.Server.LocalEndPoint, fake.Pin);
        await client.WriteAsync(Post("/ssl-vpn/login.esp", "x", "user=test&passwd=secret"));
        var cookie = XDocument.Parse((await client.ReadResponseAsync()).Body).Root!.Descendants("argument").ElementAt(1).Value;

        await client.WriteAsync($"GET /ssl-tunnel-connect.sslvpn?user=test&authcookie={cookie} HTTP/1.1\r\n\r\n");
        Assert.Equal("START_TUNNEL"u8.ToArray(), await client.ReadExactlyAsync(12));
        var header = await client.ReadExactlyAsync(TunnelFrame.HeaderLength);
        await client.ReadExactlyAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)));

        // The next read ends when the fake cuts the connection (no close_notify, so it may throw).
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        try
        {
            Assert.False(await client.Reader.ReadExactlyAsync(new byte[1], cts.Token));
        }
        catch (IOException)
        {
        }
        Assert.Equal("dropped", fake.Events.Named("tunnel-closed").Single()["reason"]);
    }
}
