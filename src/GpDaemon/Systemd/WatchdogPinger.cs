using System.Globalization;
using GpDaemon.Connection;
using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Systemd;

/// <summary>
/// Sends WATCHDOG=1 at half of WATCHDOG_USEC while the state machine answers, so that systemd restarts a daemon that hangs.
/// </summary>
internal sealed partial class WatchdogPinger(ConnectionStateMachine controller, ISystemdNotifier notifier, TimeProvider time, ILogger<WatchdogPinger> logger)
    : BackgroundService
{
    /// <summary>The ping interval systemd asks for (half its timeout), or null when no watchdog is set for this process.</summary>
    public static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int ownPid)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out long usec) || usec <= 0)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(watchdogPid) && watchdogPid != ownPid.ToString(CultureInfo.InvariantCulture))
        {
            return null; // meant for another process
        }
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan? interval = Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (interval is null || !notifier.IsEnabled)
        {
            return;
        }
        LogWatchdog(logger, interval.Value);
        using var timer = new PeriodicTimer(interval.Value, time);
        try
        {
            do
            {
                if (controller.IsResponsive())
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = EventIds.WatchdogEnabled, Level = LogLevel.Debug, Message = "Watchdog enabled: pinging every {Interval}")]
    private static partial void LogWatchdog(ILogger logger, TimeSpan interval);
}
