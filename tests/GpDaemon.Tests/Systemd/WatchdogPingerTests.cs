using GpDaemon.Systemd;

namespace GpDaemon.Tests.Systemd;

public sealed class WatchdogPingerTests
{
    private const int OwnPid = 4242;

    [Fact]
    public void Pings_at_half_the_watchdog_timeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), WatchdogPinger.Interval("30000000", null, OwnPid));
    }

    [Theory]
    [InlineData("4242")]
    [InlineData("")]
    public void Pings_when_the_watchdog_is_meant_for_this_process_or_any(string watchdogPid)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), WatchdogPinger.Interval("1000000", watchdogPid, OwnPid));
    }

    [Fact]
    public void Does_not_ping_for_another_process()
    {
        Assert.Null(WatchdogPinger.Interval("30000000", "1", OwnPid));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-30000000")]
    [InlineData("+30000000")]
    [InlineData("30s")]
    [InlineData(" 30000000")]
    [InlineData("99999999999999999999999")]
    public void Does_not_ping_without_a_usable_timeout(string? watchdogUsec)
    {
        Assert.Null(WatchdogPinger.Interval(watchdogUsec, null, OwnPid));
    }
}
