using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Lifecycle;

/// <summary>
/// Notices when the pid file is deleted or replaced while the daemon runs (a careless `rm -rf /run/gpdaemon/*`),
/// and puts it back, so that `cat gpdaemon.pid` and the "already running (pid N)" message stay true.
/// </summary>
internal sealed partial class LockGuard(InstanceLock instanceLock, TimeProvider time, ILogger<LockGuard> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (instanceLock.Restore())
                    {
                        LogRestored(logger, instanceLock.Path);
                    }
                }
                catch (IOException ex)
                {
                    LogCannotRestore(logger, instanceLock.Path, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = EventIds.LockFileRestored, Level = LogLevel.Warning, Message = "The lock file {Path} was deleted or replaced; restored it (the runtime directory's lock kept this daemon the only one)")]
    private static partial void LogRestored(ILogger logger, string path);

    [LoggerMessage(EventId = EventIds.LockFileNotRestored, Level = LogLevel.Error, Message = "Cannot restore the lock file {Path}: {Reason}")]
    private static partial void LogCannotRestore(ILogger logger, string path, string reason);
}
