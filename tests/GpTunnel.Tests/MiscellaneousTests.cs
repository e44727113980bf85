using GpTunnel.Tests.Support;

namespace GpTunnel.Tests;

public sealed class MiscellaneousTests
{
    [Fact]
    public void Start_info_never_prints_the_cookie()
    {
        var start = new TunnelStartInfo("gw.example.com", "authcookie=topsecret", "pin-sha256:x", null);
        Assert.DoesNotContain("topsecret", start.ToString(), StringComparison.Ordinal);
        Assert.Contains("gw.example.com", start.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Interface_statistics_read_the_byte_counters()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("gp0/statistics"));
        File.WriteAllText(directory.Combine("gp0/statistics/rx_bytes"), "1234\n");
        File.WriteAllText(directory.Combine("gp0/statistics/tx_bytes"), "99\n");

        Assert.Equal((1234L, 99L), InterfaceStatistics.Read(directory.Path, "gp0"));
        Assert.Null(InterfaceStatistics.Read(directory.Path, "gp1"));
        Assert.Null(InterfaceStatistics.Read(directory.Path, "../gp0"));
    }

    [Fact]
    public void Loopback_statistics_exist_on_this_machine()
    {
        Assert.NotNull(InterfaceStatistics.Read("lo"));
    }
}
