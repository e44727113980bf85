using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>
/// With a real tun device (root): the interface exists while connected, its counters grow with the packets that cross
/// it, and it is gone after disconnect. The vpnc-script is a recording stand-in that only gives the interface its
/// point-to-point address (the one host route it implies goes with the interface); no DNS or other route changes.
/// </summary>
public sealed class TunDeviceTests
{
    [Fact]
    public async Task TheInterfaceLivesExactlyAsLongAsTheConnection()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/dev/net/tun"), "needs root and /dev/net/tun, as CI has");
        using var dir = new TempDirectory();
        string iface = $"gpdt{Environment.ProcessId % 100000}";
        string script = dir.Combine("vpnc-script");
        // The fake's gateway side answers pings at its first DNS address: a test-only pair, reached only through the tun,
        // and random so that two runs on one machine do not claim the same one.
        string subnet = $"10.99.{System.Security.Cryptography.RandomNumberGenerator.GetInt32(100, 250)}";
        string gatewaySide = subnet + ".1";
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo "$reason $TUNDEV" >> '{dir.Combine("calls")}'
            if [ "$reason" = connect ]; then
                ip link set dev "$TUNDEV" up && ip addr add "$INTERNAL_IP4_ADDRESS" peer {gatewaySide} dev "$TUNDEV"
            fi
            exit 0

            """);
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        await using FakePortal fake = await FakePortal.StartAsync("password", "--ip", subnet + ".2", "--dns", gatewaySide);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, $"""
            servercert = "{fake.Pin}"
            [openconnect]
            interface = "{iface}"
            script = "{script}"
            """);

        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal(iface, status.Interface);
        Assert.True(Directory.Exists($"/sys/class/net/{iface}"));
        Assert.NotNull(status.BytesIn);
        Assert.NotNull(status.BytesOut);

        // Pings through the tunnel: out through the tun device to openconnect, the fake's replies back in.
        using (var ping = new System.Net.NetworkInformation.Ping())
        {
            for (int i = 0; i < 3; i++)
            {
                System.Net.NetworkInformation.PingReply reply = await ping.SendPingAsync(System.Net.IPAddress.Parse(gatewaySide), TimeSpan.FromSeconds(10),
                    new byte[64], null, Deadline.Token());
                Assert.True(reply.Status == System.Net.NetworkInformation.IPStatus.Success, $"ping {gatewaySide}: {reply.Status}\n{daemon.Output}");
            }
        }
        await Poll.UntilAsync(() => Task.FromResult(fake.EventsNamed("packet").Count(e => e.Contains($"dst={gatewaySide}", StringComparison.Ordinal))),
            n => n >= 3, "the gateway to receive the pings", _ => string.Join('\n', fake.Events), TimeSpan.FromSeconds(30));
        VpnStatus after = await daemon.StatusAsync();
        Assert.True(after.BytesOut >= status.BytesOut + 3 * (20 + 8 + 64), $"bytes out {status.BytesOut} -> {after.BytesOut}");
        Assert.True(after.BytesIn >= status.BytesIn + 3 * (20 + 8 + 64), $"bytes in {status.BytesIn} -> {after.BytesIn}");
        ProcessResult human = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Contains($"Interface:   {iface}", human.Stdout);
        Assert.Contains("Traffic:", human.Stdout);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        Assert.False(Directory.Exists($"/sys/class/net/{iface}"));
        Assert.Contains($"connect {iface}", File.ReadAllText(dir.Combine("calls")));
        Assert.Contains($"disconnect {iface}", File.ReadAllText(dir.Combine("calls")));
        Assert.Contains("result=ok", await fake.WaitForEventAsync("logout"));
    }
}
