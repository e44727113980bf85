using System.Buffers.Binary;
using System.Net;
using System.Text;
using FakeGlobalProtect.Tests.Support;
using FakeGlobalProtect.Tunnel;

namespace FakeGlobalProtect.Tests;

/// <summary>The real openconnect bringing the SSL tunnel up against the real fake program (no tun device).</summary>
public sealed class OpenConnectTunnelTests
{
    private const string DrainScript = "exec cat <&\"$VPNFD\" >/dev/null";

    [Fact]
    public async Task Tunnel_comes_up_carries_packets_both_ways_and_logs_out_on_sigterm()
    {
        await using var fake = await FakeProcess.StartAsync();
        var ping = IpPacket.IcmpEcho(IPAddress.Parse("10.99.0.2"), IPAddress.Parse("10.99.0.53"), IpPacket.IcmpEchoRequest, 7, 1, "ping from the client"u8);
        using var handler = TunnelHandler.Create(ping);

        await using var openconnect = await OpenConnect.StartAsync(
            ["--protocol=gp", "--non-inter", "--passwd-on-stdin", "--servercert", fake.Pin, "-u", "test",
                "--script-tun", "--script", handler.ScriptPath, fake.Address],
            "secret\n");

        await openconnect.WaitForStdoutAsync(l => l.StartsWith("Configured as 10.99.0.2", StringComparison.Ordinal));
        Assert.Equal("ok", (await fake.WaitForEventAsync("ssl-getconfig"))["result"]);
        Assert.Equal("no", (await fake.WaitForEventAsync("hipreportcheck"))["hip-report-needed"]);
        Assert.Equal("10.99.0.2", (await fake.WaitForEventAsync("tunnel-connect"))["ip"]);

        // Client to gateway: the handler's packet, parsed by the fake.
        var packet = await fake.WaitForEventAsync("packet");
        Assert.Equal("0800", packet["ethertype"]);
        Assert.Equal(ping.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), packet["len"]);
        Assert.Equal("10.99.0.2", packet["src"]);
        Assert.Equal("10.99.0.53", packet["dst"]);
        Assert.Equal("icmp", packet["proto"]);

        // Gateway to client: the fake's own probe, then the answer to the handler's ping.
        var probe = await TunnelHandler.WaitForFileAsync(handler.IncomingPath(1));
        AssertIcmp(probe, "10.99.0.53", "10.99.0.2", IpPacket.IcmpEchoRequest, "fake-globalprotect"u8);
        var reply = await TunnelHandler.WaitForFileAsync(handler.IncomingPath(2));
        AssertIcmp(reply, "10.99.0.53", "10.99.0.2", IpPacket.IcmpEchoReply, "ping from the client"u8);
        await fake.WaitForEventAsync("packet-sent", e => e["dst"] == "10.99.0.2", count: 2);

        var environment = await File.ReadAllTextAsync(await WaitForPathAsync(handler.EnvironmentPath));
        Assert.Contains("INTERNAL_IP4_ADDRESS=10.99.0.2\n", environment, StringComparison.Ordinal);
        Assert.Contains("INTERNAL_IP4_DNS=10.99.0.53\n", environment, StringComparison.Ordinal);
        Assert.Contains("CISCO_SPLIT_INC_0_ADDR=10.99.0.0\n", environment, StringComparison.Ordinal);
        Assert.Contains("CISCO_SPLIT_INC_0_MASKLEN=16\n", environment, StringComparison.Ordinal);
        Assert.Contains("INTERNAL_IP4_MTU=1400\n", environment, StringComparison.Ordinal);

        await openconnect.SignalAsync("TERM");
        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.Equal("ok", (await fake.WaitForEventAsync("logout"))["result"]);
        Assert.Contains("Logout successful", openconnect.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await fake.StopAsync());
    }

    [Fact]
    public async Task Addresses_dns_and_routes_come_from_the_command_line()
    {
        await using var fake = await FakeProcess.StartAsync(
            "--ip", "10.77.0.9", "--dns", "10.77.0.53", "--dns", "10.77.0.54", "--dns-suffix", "corp.test",
            "--route", "10.77.0.0/16", "--route", "10.78.1.0/24");
        var ping = IpPacket.IcmpEcho(IPAddress.Parse("10.77.0.9"), IPAddress.Parse("10.77.0.53"), IpPacket.IcmpEchoRequest, 1, 1, "x"u8);
        using var handler = TunnelHandler.Create(ping);
        var cookie = await OpenConnect.LoginAsync(fake);
        Assert.Contains("&preferred-ip=10.77.0.9&", cookie, StringComparison.Ordinal);

        await using var openconnect = await OpenConnect.ConnectWithCookieAsync(fake, cookie, handler.ScriptPath);

        await openconnect.WaitForStdoutAsync(l => l.StartsWith("Configured as 10.77.0.9,", StringComparison.Ordinal));
        var probe = await TunnelHandler.WaitForFileAsync(handler.IncomingPath(1));
        Assert.Equal("10.77.0.53", new IPAddress(probe.AsSpan(12, 4)).ToString());
        var environment = await File.ReadAllTextAsync(await WaitForPathAsync(handler.EnvironmentPath));
        Assert.Contains("INTERNAL_IP4_DNS=10.77.0.53 10.77.0.54\n", environment, StringComparison.Ordinal);
        Assert.Contains("CISCO_DEF_DOMAIN=corp.test\n", environment, StringComparison.Ordinal);
        Assert.Contains("CISCO_SPLIT_INC=2\n", environment, StringComparison.Ordinal);
        // openconnect numbers the routes in reverse order: find the route's index first.
        var index = System.Text.RegularExpressions.Regex.Match(environment, @"CISCO_SPLIT_INC_(\d)_ADDR=10\.78\.1\.0\n").Groups[1].Value;
        Assert.NotEmpty(index);
        Assert.Contains($"CISCO_SPLIT_INC_{index}_MASKLEN=24\n", environment, StringComparison.Ordinal);
        Assert.Equal("10.77.0.9", (await fake.WaitForEventAsync("packet"))["src"]);
    }

    [Fact]
    public async Task Tunnel_502_makes_openconnect_exit_2()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "tunnel-502");
        var cookie = await OpenConnect.LoginAsync(fake);

        await using var openconnect = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript);

        Assert.Equal(2, await openconnect.WaitForExitAsync());
        Assert.Equal("502", (await fake.WaitForEventAsync("tunnel-refused"))["status"]);
        Assert.Empty(fake.EventsNamed("tunnel-connect"));
    }

    [Fact]
    public async Task Session_cookie_survives_a_detach_and_dies_at_logout()
    {
        await using var fake = await FakeProcess.StartAsync();
        var cookie = await OpenConnect.LoginAsync(fake);

        // SIGHUP leaves without logging out: the cookie stays valid.
        await using (var first = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript))
        {
            await first.WaitForStdoutAsync(l => l.StartsWith("Configured as 10.99.0.2", StringComparison.Ordinal));
            await first.SignalAsync("HUP");
            Assert.Equal(0, await first.WaitForExitAsync());
        }
        Assert.Empty(fake.EventsNamed("logout"));

        await using (var second = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript))
        {
            await second.WaitForStdoutAsync(l => l.StartsWith("Configured as 10.99.0.2", StringComparison.Ordinal));
            await fake.WaitForEventAsync("tunnel-connect", count: 2);
            await second.SignalAsync("TERM");
            Assert.Equal(0, await second.WaitForExitAsync());
        }
        await fake.WaitForEventAsync("logout");

        await using var third = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript);
        Assert.Equal(2, await third.WaitForExitAsync());
        Assert.Contains("Cookie was rejected by server", third.Stdout + third.Stderr, StringComparison.Ordinal);
        var rejected = await fake.WaitForEventAsync("ssl-getconfig", e => e["result"] == "rejected");
        Assert.Equal("unknown-cookie", rejected["reason"]);
    }

    [Fact]
    public async Task Dropped_tunnel_is_reconnected_with_the_same_cookie_and_ip()
    {
        await using var fake = await FakeProcess.StartAsync("--scenario", "drop-tunnel");
        var cookie = await OpenConnect.LoginAsync(fake);

        await using var openconnect = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript);

        await fake.WaitForEventAsync("tunnel-closed", e => e["reason"] == "dropped");
        await fake.WaitForEventAsync("tunnel-connect", count: 2);
        Assert.All(fake.EventsNamed("ssl-getconfig"), e => Assert.Equal("10.99.0.2", e["ip"]));
        Assert.All(fake.EventsNamed("ssl-getconfig"), e => Assert.Equal("ok", e["result"]));
        Assert.Single(fake.EventsNamed("gateway-login"));

        await openconnect.SignalAsync("TERM");
        Assert.Equal(0, await openconnect.WaitForExitAsync());
    }

    [Fact]
    public async Task Keepalives_are_echoed_so_openconnect_sees_no_dead_peer()
    {
        await using var fake = await FakeProcess.StartAsync();
        var cookie = await OpenConnect.LoginAsync(fake);

        // DPD every 2 s: without echoes openconnect declares the peer dead after 4 s of silence.
        await using var openconnect = await OpenConnect.ConnectWithCookieAsync(fake, cookie, DrainScript, "--force-dpd", "2");

        await fake.WaitForEventAsync("keepalive", count: 3);
        await openconnect.SignalAsync("TERM");
        Assert.Equal(0, await openconnect.WaitForExitAsync());
        Assert.DoesNotContain("Dead Peer", openconnect.Stdout + openconnect.Stderr, StringComparison.Ordinal);
        Assert.Single(fake.EventsNamed("ssl-getconfig"));
    }

    private static async Task<string> WaitForPathAsync(string path)
    {
        await TunnelHandler.WaitForFileAsync(path);
        return path;
    }

    private static void AssertIcmp(byte[] packet, string source, string destination, byte type, ReadOnlySpan<byte> data)
    {
        Assert.Equal(0x45, packet[0]);
        Assert.Equal(packet.Length, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        Assert.Equal(IpPacket.ProtocolIcmp, packet[9]);
        Assert.Equal(source, new IPAddress(packet.AsSpan(12, 4)).ToString());
        Assert.Equal(destination, new IPAddress(packet.AsSpan(16, 4)).ToString());
        Assert.Equal(0, IpPacket.Checksum(packet.AsSpan(0, 20)));
        Assert.Equal(type, packet[20]);
        Assert.Equal(0, IpPacket.Checksum(packet.AsSpan(20)));
        Assert.Equal(Encoding.ASCII.GetString(data), Encoding.ASCII.GetString(packet.AsSpan(28)));
    }
}
