using GpDaemon.Auth;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

/// <summary>
/// Boot-time autoconnect: with `autoconnect = true`, connects to the configured portal after start, with no client,
/// and retries its own failures with a growing delay. It never delays READY=1, and it stands down as soon as a user
/// takes over (a `gpctl disconnect`, or a connect of their own).
/// </summary>
internal sealed partial class Autoconnect(ConnectionStateMachine controller, ConfigStore config, TimeProvider time, ILogger<Autoconnect> logger)
    : BackgroundService
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan delay = FirstRetry;
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe(capacity: 1024);
        long started = TryStart();
        if (started < 0)
        {
            return;
        }
        try
        {
            await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (snapshot.Sequence < started)
                {
                    continue;
                }
                if (snapshot.Source != ConnectSource.Autoconnect)
                {
                    // A `gpctl disconnect`, or a user's own connect: the connection is theirs now.
                    LogStandingDown(logger);
                    return;
                }
                switch (snapshot.Status.State)
                {
                    case ConnectionState.Connected:
                        delay = FirstRetry;
                        break;
                    case ConnectionState.Failed when snapshot.Failure == FailureKind.Authentication:
                        // Retrying a refused password only earns a locked account.
                        LogGivingUp(logger, snapshot.Status.Portal, snapshot.Status.Message);
                        return;
                    case ConnectionState.Failed:
                        LogRetrying(logger, snapshot.Status.Portal, snapshot.Status.Message, delay);
                        await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
                        // Still ours to retry? A user may have cleared or replaced the attempt meanwhile.
                        if (controller.Current is not { Source: ConnectSource.Autoconnect, Status.State: ConnectionState.Failed })
                        {
                            LogStandingDown(logger);
                            return;
                        }
                        started = TryStart();
                        if (started < 0)
                        {
                            return;
                        }
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Starts an attempt and returns its first sequence number; -1 when autoconnect is off or a connection exists.</summary>
    private long TryStart()
    {
        DaemonConfig current = config.Current;
        if (!current.Autoconnect || current.Portal is null)
        {
            return -1;
        }
        string? password;
        try
        {
            password = PasswordSource.Read(current, Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"));
        }
        catch (ConfigException ex)
        {
            LogNoPassword(logger, current.Portal, ex.Message);
            password = null; // a saved portal cookie may still do
        }
        try
        {
            LogStarting(logger, current.Portal, current.User);
            var request = new ConnectRequest(current.Portal, current.User, password, current.Gateway) { Source = ConnectSource.Autoconnect };
            // As the daemon's own user (root under systemd): its saved session is the one autoconnect uses and renews.
            return controller.Connect(request, Tmds.Linux.LibC.geteuid()).Sequence;
        }
        catch (AlreadyConnectedException)
        {
            return -1;
        }
    }

    [LoggerMessage(EventId = EventIds.AutoconnectStarting, Level = LogLevel.Information, Message = "Autoconnect to {Portal} as {User}")]
    private static partial void LogStarting(ILogger logger, string portal, string? user);

    [LoggerMessage(EventId = EventIds.AutoconnectRetrying, Level = LogLevel.Warning, Message = "Autoconnect to {Portal} failed: {Reason}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string? portal, string? reason, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.AutoconnectStandingDown, Level = LogLevel.Information, Message = "Autoconnect stands down: a user took over the connection")]
    private static partial void LogStandingDown(ILogger logger);

    [LoggerMessage(EventId = EventIds.AutoconnectGivingUp, Level = LogLevel.Error, Message = "Autoconnect to {Portal} stopped: {Reason}. Fix the credentials, then `systemctl restart gpdaemon` or `gpctl connect`")]
    private static partial void LogGivingUp(ILogger logger, string? portal, string? reason);

    [LoggerMessage(EventId = EventIds.AutoconnectNoPassword, Level = LogLevel.Warning, Message = "Autoconnect to {Portal}: no usable password ({Reason}); trying the saved session only")]
    private static partial void LogNoPassword(ILogger logger, string portal, string reason);
}
