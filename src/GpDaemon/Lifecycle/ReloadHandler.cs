using System.Runtime.InteropServices;
using GpDaemon.Config;
using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Core;

namespace GpDaemon.Lifecycle;

/// <summary>
/// SIGHUP (`systemctl reload gpdaemon`) rereads the configuration. A working tunnel is never dropped: new connection
/// settings apply from the next connect. A broken file is refused and the old settings stay.
/// </summary>
internal sealed partial class ReloadHandler(ConfigStore config, LoggingLevelSwitch level, ILogger<ReloadHandler> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // the default action would end the daemon
            Reload();
        });
        return Task.CompletedTask;
    }

    internal void Reload()
    {
        try
        {
            (DaemonConfig previous, DaemonConfig current) = config.Reload();
            level.MinimumLevel = LogLevelMapping.ToSerilog(current.LogLevel);
            foreach (string warning in config.Warnings)
            {
                ConfigLog.Warning(logger, warning);
            }
            if (ConfigStore.ConnectionSettingsDiffer(previous, current))
            {
                LogReloadedWithChanges(logger);
            }
            else
            {
                LogReloaded(logger);
            }
        }
        catch (ConfigException ex)
        {
            LogReloadFailed(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    [LoggerMessage(EventId = EventIds.Reloaded, Level = LogLevel.Information, Message = "Configuration reloaded")]
    private static partial void LogReloaded(ILogger logger);

    [LoggerMessage(EventId = EventIds.ReloadedWithChanges, Level = LogLevel.Information, Message = "Configuration reloaded; the new connection settings apply from the next connect (the current tunnel stays up)")]
    private static partial void LogReloadedWithChanges(ILogger logger);

    [LoggerMessage(EventId = EventIds.ReloadFailed, Level = LogLevel.Error, Message = "Configuration not reloaded, the previous settings stay in force: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
