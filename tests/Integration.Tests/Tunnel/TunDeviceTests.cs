using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>
/// With a real tun device (root): the interface exists while connected, its counters grow with the packets that cross
/// it, and it is gone after disconnect. The vpnc-script is a recording stand-in that only gives the interface its
/// point-to-point address (the one host route it implies goes with the interface); no DNS or other route changes.
/// </summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class TunDeviceTests
{
    [Fact]
    public async Task TheInterfaceLivesExactlyAsLongAsTheConnection()
    {
        using var dir = new TempDirectory();
        string iface = $"gpdt{Environment.ProcessId % 100000}";
        // The fake's gateway side answers pings at its first DNS address: a test-only pair, reached only through the tun,
        // and random so that two runs on one machine do not claim the same one.
        string subnet = $"10.99.{System.Security.Cryptography.RandomNumberGenerator.GetInt32(100, 250)}";
        string gatewaySide = subnet + ".1";
        string script = WriteScript(dir, $"""
            #!/bin/sh
            echo "$reason $TUNDEV" >> '{dir.Combine("calls")}'
            if [ "$reason" = connect ]; then
                ip link set dev "$TUNDEV" up && ip addr add "$INTERNAL_IP4_ADDRESS" peer {gatewaySide} dev "$TUNDEV"
            fi
            exit 0

            """);
        await using FakePortal fake = await FakePortal.StartAsync("password", "--ip", subnet + ".2", "--dns", gatewaySide);
        await using DaemonProcess daemon = await StartDaemonAsync(dir, fake, iface, script);

        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal(iface, status.Interface);
        Assert.True(Directory.Exists($"/sys/class/net/{iface}"));
        Assert.NotNull(status.BytesIn);
        Assert.NotNull(status.BytesOut);

        // Pings through the tunnel: out through the tun device to openconnect, the fake's replies back in. Only when
        // the kernel routes the address through this tun device: a ping must never leave the machine.
        ProcessResult route = await Run.ProgramAsync("ip", ["-4", "route", "get", gatewaySide]);
        Assert.True(route.ExitCode == 0 && route.Stdout.Contains($" dev {iface} ", StringComparison.Ordinal), route.ToString());
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

    [Fact]
    public async Task ConfiguredSplitRoutes_AreExactlyTheRoutesOnTheDevice_AndNoneIsLeftAfterDisconnect()
    {
        using var dir = new TempDirectory();
        string iface = $"gpsr{Environment.ProcessId % 100000}";
        // Installs the include routes the way the real vpnc-script does (one "ip route" per CISCO_*SPLIT_INC entry on the
        // tun device) and nothing else, so the host keeps its DNS and default route. Benchmarking and documentation
        // prefixes, on a device that exists only for this test.
        string script = WriteScript(dir, $$"""
            #!/bin/sh
            env | grep '^CISCO_.*SPLIT' | sort > '{{dir.Combine("env-")}}'"$reason"
            [ "$reason" = connect ] || exit 0
            ip link set dev "$TUNDEV" up
            i=0
            while [ "$i" -lt "${CISCO_SPLIT_INC:-0}" ]; do
                eval "ip route add \${CISCO_SPLIT_INC_${i}_ADDR}/\${CISCO_SPLIT_INC_${i}_MASKLEN} dev $TUNDEV"
                i=$((i + 1))
            done
            i=0
            while [ "$i" -lt "${CISCO_IPV6_SPLIT_INC:-0}" ]; do
                eval "ip -6 route add \${CISCO_IPV6_SPLIT_INC_${i}_ADDR}/\${CISCO_IPV6_SPLIT_INC_${i}_MASKLEN} dev $TUNDEV"
                i=$((i + 1))
            done
            """);
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await StartDaemonAsync(dir, fake, iface, script, """
            [routes]
            include = ["198.18.0.0/16", "198.19.50.0/24", "2001:db8:1::/48"]
            exclude = ["198.18.5.0/24"]
            """);

        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);

        // The gateway pushed 10.99.0.0/16; the configured list replaced it.
        Assert.Equal(["198.18.0.0/16", "198.19.50.0/24"], await RoutesAsync("-4", iface));
        Assert.Equal(["2001:db8:1::/48"], (await RoutesAsync("-6", iface)).Where(r => !r.StartsWith("fe80:", StringComparison.Ordinal)));
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal(["198.18.0.0/16", "198.19.50.0/24", "2001:db8:1::/48"], status.Routes);
        Assert.Equal(["198.18.5.0/24"], status.ExcludedRoutes);
        ProcessResult human = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Contains("Routes:      198.18.0.0/16, 198.19.50.0/24, 2001:db8:1::/48", human.Stdout);
        Assert.Contains("Excluded:    198.18.5.0/24", human.Stdout);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        Assert.False(Directory.Exists($"/sys/class/net/{iface}"));
        string all = (await Run.ProgramAsync("ip", ["route", "show"])).Stdout + (await Run.ProgramAsync("ip", ["-6", "route", "show"])).Stdout;
        Assert.DoesNotContain("198.18.0.0/16", all);
        Assert.DoesNotContain("2001:db8:1::/48", all);
        // Disconnect saw the same lists as connect, so the real vpnc-script removes what it added.
        Assert.Equal(File.ReadAllText(dir.Combine("env-connect")), File.ReadAllText(dir.Combine("env-disconnect")));
    }

    /// <summary>A stand-in vpnc-script: it configures nothing the host depends on.</summary>
    private static string WriteScript(TempDirectory dir, string text)
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/dev/net/tun"), "needs root and /dev/net/tun, as CI has");
        string script = dir.Combine("vpnc-script");
        File.WriteAllText(script, text);
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        return script;
    }

    private static Task<DaemonProcess> StartDaemonAsync(TempDirectory dir, FakePortal fake, string iface, string script, string extra = "") =>
        DaemonProcess.StartReadyAsync(dir.Path, $"""
            servercert = "{fake.Pin}"
            [openconnect]
            interface = "{iface}"
            script = "{script}"
            {extra}
            """);

    private static async Task<string[]> RoutesAsync(string family, string iface)
    {
        ProcessResult result = await Run.ProgramAsync("ip", [family, "route", "show", "dev", iface]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0])];
    }
}
