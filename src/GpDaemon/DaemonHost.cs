using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Control;
using GpDaemon.Instances;
using GpDaemon.Lifecycle;
using GpDaemon.Logging;
using GpDaemon.Network;
using GpDaemon.Sleep;
using GpDaemon.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace GpDaemon;

/// <summary>Builds and runs the generic host once the instance lock is ours.</summary>
internal static partial class DaemonHost
{
    public static async Task<int> RunAsync(DaemonPaths paths, DaemonConfig config, IReadOnlyList<string> configWarnings, InstanceLock instanceLock)
    {
        var level = new LoggingLevelSwitch(LogLevelMapping.ToSerilog(config.LogLevel));
        Serilog.ILogger serilog = CreateLogger(level);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "gpdaemon",
            ContentRootPath = "/",
        });
        builder.Services.AddSerilog(serilog, dispose: true);
        // The logout, then (when openconnect had to be killed) the vpnc-script's disconnect, then the rest of the stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout =
            config.OpenConnect.StopTimeout + GpTunnel.Leftover.VpncDisconnect.Allowance + TimeSpan.FromSeconds(5));

        // READY=1 (after every hosted service started, so after the socket listens), STOPPING=1 and SIGTERM handling.
        // Also when started by hand with NOTIFY_SOCKET set, which is how tests and `systemd-notify` helpers see it.
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        if (SystemdHelpers.IsSystemdService() || Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 })
        {
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        else
        {
            // Ctrl-C / SIGTERM stop the host in the foreground too; the default console lifetime does it.
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(new ConfigStore(paths.ConfigFile, config, configWarnings));
        builder.Services.AddSingleton(level);
        // Socket limits and reconnect timing apply from start to stop; everything else follows reloads.
        builder.Services.AddSingleton(config.Control);
        builder.Services.AddSingleton(instanceLock);
        builder.Services.AddSingleton<SupervisorFactory>();
        // The left-over check at start uses the supervisor of the configuration in force then.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<SupervisorFactory>().For(sp.GetRequiredService<ConfigStore>().Current));
        builder.Services.AddSingleton<InstanceRegistry>();
        builder.Services.AddSingleton(sp => new SessionStore(Path.Combine(paths.StateDirectory, "sessions"), sp.GetRequiredService<ILogger<SessionStore>>()));
        builder.Services.AddSingleton<IVpnBackend, GlobalProtectBackend>();
        builder.Services.AddSingleton(sp => new ConnectionStateMachine(
            sp.GetRequiredService<IVpnBackend>(), config.Reconnect, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConnectionStateMachine>>()));
        builder.Services.AddSingleton<ControlDispatcher>();
        builder.Services.AddSingleton(sp => new SleepFollower(SystemBus.Address(Environment.GetEnvironmentVariable),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SleepFollower>>()));
        builder.Services.AddSingleton<NetworkFollower>();
        // Order matters: SIGHUP is handled and left-over tunnels are gone before the socket accepts its first client.
        builder.Services.AddHostedService<ReloadHandler>();
        builder.Services.AddHostedService<LeftoverTunnelCleaner>();
        builder.Services.AddHostedService<ControlServer>();
        builder.Services.AddHostedService<StatusNotifier>();
        builder.Services.AddHostedService<WatchdogPinger>();
        builder.Services.AddHostedService<ShutdownCoordinator>();
        builder.Services.AddHostedService<LockGuard>();
        // The followers, then what brings their news to the connection: it knows whether there is a network
        // before autoconnect starts.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SleepFollower>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NetworkFollower>());
        builder.Services.AddHostedService<MachineEvents>();
        builder.Services.AddHostedService<Autoconnect>();
        builder.Services.AddHostedService<ClaimReleaser>();

        using IHost host = builder.Build();
        ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GpDaemon");
        LogStarting(logger, DaemonInfo.Version, Environment.ProcessId, paths.SocketPath, paths.ConfigFile);
        foreach (string warning in configWarnings)
        {
            ConfigLog.Warning(logger, warning);
        }
        try
        {
            await host.RunAsync().ConfigureAwait(false);
            LogStopped(logger);
            return DaemonExitCode.Ok;
        }
        catch (Exception ex)
        {
            LogFatal(logger, ex);
            return DaemonExitCode.Failure;
        }
    }

    private static Serilog.ILogger CreateLogger(LoggingLevelSwitch level)
    {
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<UntrustedTextEnricher>();
        if (LogTarget.UseJournal(Environment.GetEnvironmentVariable("JOURNAL_STREAM"), JournaldSink.DefaultSocketPath))
        {
            configuration.WriteTo.Sink(new JournaldSink());
        }
        else
        {
            configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        return configuration.CreateLogger();
    }

    [LoggerMessage(EventId = EventIds.Starting, Level = LogLevel.Information, Message = "gpdaemon {Version} starting (pid {Pid}), socket {SocketPath}, config {ConfigPath}")]
    private static partial void LogStarting(ILogger logger, string version, int pid, string socketPath, string configPath);

    [LoggerMessage(EventId = EventIds.Stopped, Level = LogLevel.Information, Message = "gpdaemon stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = EventIds.Failed, Level = LogLevel.Critical, Message = "gpdaemon failed")]
    private static partial void LogFatal(ILogger logger, Exception exception);
}
