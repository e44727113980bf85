using System.Threading.Channels;
using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace GpDaemon.Sleep;

/// <summary>
/// Follows logind's PrepareForSleep signal on the system D-Bus and reports each transition on <see cref="Transitions"/>.
/// A signal counts only when its sender is the current owner of org.freedesktop.login1 (resolved with GetNameOwner and
/// followed through NameOwnerChanged), so no other client of the bus can fake a suspend. Without a system bus (a
/// container without dbus) it says so once and retries quietly; a lost bus is reconnected with a bounded delay.
/// </summary>
internal sealed partial class SleepFollower(string busAddress, TimeProvider time, ILogger<SleepFollower> logger) : BackgroundService
{
    public const string LoginName = "org.freedesktop.login1";
    public const string LoginPath = "/org/freedesktop/login1";
    public const string LoginInterface = "org.freedesktop.login1.Manager";
    public const string SignalName = "PrepareForSleep";

    private const string BusName = "org.freedesktop.DBus";
    private const string BusPath = "/org/freedesktop/DBus";

    private readonly Channel<SleepTransition> _transitions = Channel.CreateUnbounded<SleepTransition>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _ownerLock = new();
    private string? _owner;
    private long _ownerChanges;
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every call on the bus (connect, AddMatch, GetNameOwner) ends within this.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay before connecting again; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each PrepareForSleep from logind, in order. Read by one consumer.</summary>
    public ChannelReader<SleepTransition> Transitions => _transitions.Reader;

    /// <summary>Completes once the follower listens for the signal and knows logind's current connection (for tests and
    /// for callers that must not miss a suspend right after start). Renewed on every reconnect.</summary>
    public Task Subscribed => Volatile.Read(ref _subscribed).Task;

    /// <summary>The unique name of logind's connection as last resolved, or null when nobody owns the name.</summary>
    public string? Owner
    {
        get
        {
            lock (_ownerLock)
            {
                return _owner;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan delay = InitialRetryDelay;
        bool unavailableReported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var connection = new DBusConnection(new DBusConnectionOptions(busAddress) { AutoConnect = false });
                await connection.ConnectAsync().AsTask().WaitAsync(CallTimeout, time, stoppingToken).ConfigureAwait(false);
                Exception? lost = await FollowAsync(connection, stoppingToken).ConfigureAwait(false);
                LogBusLost(logger, lost?.Message ?? "closed");
                unavailableReported = false;
                delay = InitialRetryDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // Whatever goes wrong with the bus, the daemon and its tunnel go on: this follower only makes resumes faster.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!unavailableReported)
                {
                    LogNoBus(logger, busAddress, e.Message);
                    unavailableReported = true;
                }
                else
                {
                    LogRetry(logger, e.Message, delay);
                }
            }
            ResetSubscribed();
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    public override void Dispose()
    {
        _transitions.Writer.TryComplete();
        base.Dispose();
    }

    /// <summary>Subscribes, resolves logind's owner, then waits for the connection to end. Returns why it ended.</summary>
    private async Task<Exception?> FollowAsync(DBusConnection connection, CancellationToken cancellationToken)
    {
        // Subscribe to owner changes before asking for the owner, so that no change between the two is missed.
        var ownerRule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = BusName,
            Path = BusPath,
            Interface = BusName,
            Member = "NameOwnerChanged",
            Arg0 = LoginName,
        };
        using IDisposable ownerWatch = await connection.AddMatchAsync(ownerRule, static (Message m, object? _) => ReadNewOwner(m),
                (Notification<string> n) => { if (n.HasValue) { OnOwnerChanged(n.Value); } }, emitOnCapturedContext: false)
            .AsTask().WaitAsync(CallTimeout, time, cancellationToken).ConfigureAwait(false);

        // The bus already delivers only the name owner's signals for a rule with a well-known sender; the sender is
        // checked again in OnPrepareForSleep so that correctness does not rest on that.
        var sleepRule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = LoginName,
            Path = LoginPath,
            Interface = LoginInterface,
            Member = SignalName,
        };
        using IDisposable sleepWatch = await connection.AddMatchAsync(sleepRule, static (Message m, object? _) => ReadPrepareForSleep(m),
                (Notification<PrepareForSleep> n) => { if (n.HasValue) { OnPrepareForSleep(n.Value); } }, emitOnCapturedContext: false)
            .AsTask().WaitAsync(CallTimeout, time, cancellationToken).ConfigureAwait(false);

        long changesBefore;
        lock (_ownerLock)
        {
            changesBefore = _ownerChanges;
        }

        string? owner = await GetNameOwnerAsync(connection, LoginName, cancellationToken).ConfigureAwait(false);
        lock (_ownerLock)
        {
            // A NameOwnerChanged seen meanwhile is newer than this answer.
            if (_ownerChanges == changesBefore)
            {
                _owner = owner;
            }

            owner = _owner;
        }
        LogFollowing(logger, busAddress, owner ?? "(none)");
        Volatile.Read(ref _subscribed).TrySetResult();

        return await connection.DisconnectedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> GetNameOwnerAsync(DBusConnection connection, string name, CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (MessageWriter writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(destination: BusName, path: BusPath, @interface: BusName, member: "GetNameOwner", signature: "s");
            writer.WriteString(name);
            message = writer.CreateMessage();
        }
        try
        {
            return await connection.CallMethodAsync(message, static (Message m, object? _) => m.GetBodyReader().ReadString())
                .WaitAsync(CallTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.DBus.Error.NameHasNoOwner")
        {
            return null; // logind not running (yet): NameOwnerChanged tells when it starts
        }
    }

    private void OnOwnerChanged(string newOwner)
    {
        lock (_ownerLock)
        {
            _owner = string.IsNullOrEmpty(newOwner) ? null : newOwner;
            _ownerChanges++;
        }
        LogOwnerChanged(logger, string.IsNullOrEmpty(newOwner) ? "(none)" : newOwner);
    }

    private void OnPrepareForSleep(PrepareForSleep signal)
    {
        string? owner = Owner;
        if (owner is null || !string.Equals(signal.Sender, owner, StringComparison.Ordinal))
        {
            LogIgnored(logger, signal.Sender ?? "(unknown)");
            return;
        }
        SleepTransition transition = signal.Start ? SleepTransition.GoingToSleep : SleepTransition.Resumed;
        LogTransition(logger, transition);
        _transitions.Writer.TryWrite(transition);
    }

    private void ResetSubscribed()
    {
        if (Volatile.Read(ref _subscribed).Task.IsCompleted)
        {
            Volatile.Write(ref _subscribed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        lock (_ownerLock)
        {
            _owner = null;
        }
    }

    // NameOwnerChanged(s name, s old_owner, s new_owner)
    private static string ReadNewOwner(Message message)
    {
        Reader reader = message.GetBodyReader();
        reader.ReadString();
        reader.ReadString();
        return reader.ReadString();
    }

    private static PrepareForSleep ReadPrepareForSleep(Message message)
    {
        if (message.SignatureAsString != "b")
        {
            return new PrepareForSleep(null, false); // not logind's signal: an empty sender is never the owner
        }

        return new PrepareForSleep(message.SenderAsString, message.GetBodyReader().ReadBool());
    }

    private readonly record struct PrepareForSleep(string? Sender, bool Start);

    [LoggerMessage(EventId = EventIds.SleepFollowing, Level = LogLevel.Debug, Message = "Following suspend and resume on the system bus {Address} (logind is {Owner})")]
    private static partial void LogFollowing(ILogger logger, string address, string owner);

    [LoggerMessage(EventId = EventIds.SleepNoBus, Level = LogLevel.Information, Message = "No system D-Bus at {Address} ({Reason}): suspend and resume are not followed until it appears; a tunnel dead after a resume is still noticed by dead-peer detection")]
    private static partial void LogNoBus(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = EventIds.SleepBusRetry, Level = LogLevel.Debug, Message = "System D-Bus still unavailable ({Reason}); trying again in {Delay}")]
    private static partial void LogRetry(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.SleepBusLost, Level = LogLevel.Information, Message = "Lost the system D-Bus ({Reason}); reconnecting")]
    private static partial void LogBusLost(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.SleepOwnerChanged, Level = LogLevel.Debug, Message = "org.freedesktop.login1 is now owned by {Owner}")]
    private static partial void LogOwnerChanged(ILogger logger, string owner);

    [LoggerMessage(EventId = EventIds.SleepSignalIgnored, Level = LogLevel.Warning, Message = "Ignored a PrepareForSleep signal from {Sender}, which is not logind")]
    private static partial void LogIgnored(ILogger logger, string sender);

    [LoggerMessage(EventId = EventIds.SleepTransition, Level = LogLevel.Information, Message = "logind: {Transition}")]
    private static partial void LogTransition(ILogger logger, SleepTransition transition);
}
