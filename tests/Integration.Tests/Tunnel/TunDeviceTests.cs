using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>
/// With a real tun device (root): the interface exists while connected, its counters are reported, and it is gone after
/// disconnect. The vpnc-script is a recording stand-in that configures nothing, so no host route or DNS changes and no
/// packet is routed anywhere.
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
        File.WriteAllText(script, $"#!/bin/sh\necho \"$reason $TUNDEV\" >> '{dir.Combine("calls")}'\nexit 0\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        await using FakePortal fake = await FakePortal.StartAsync("password");
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
        ProcessResult human = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Contains($"Interface:   {iface}", human.Stdout);
        Assert.Contains("Traffic:", human.Stdout);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        Assert.False(Directory.Exists($"/sys/class/net/{iface}"));
        Assert.Contains($"connect {iface}", File.ReadAllText(dir.Combine("calls")));
        Assert.Contains($"disconnect {iface}", File.ReadAllText(dir.Combine("calls")));
        await fake.WaitForEventAsync("logout");
    }
}
