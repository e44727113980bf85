using System.Threading.Channels;
using GpDaemon.Backend;
using GpDaemon.Config;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

/// <summary>
/// The connection state machine: the one owner of the one tunnel. Every transition happens under one lock, so two
/// Connect calls racing from two terminals cannot both see "Disconnected"; every change is published, in order, to
/// every subscriber. The moves it may make are the table in <see cref="ConnectionTransitions"/>; the partial files hold
/// Connect (the attempt's run: login, tunnel, reconnects), Disconnect, Input (prompts) and Network (reconnect requests
/// and the network coming and going).
/// </summary>
internal sealed partial class ConnectionStateMachine : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly IVpnBackend _backend;
    private readonly ReconnectSettings _reconnect;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionStateMachine> _logger;
    private readonly List<Channel<StateSnapshot>> _subscribers = [];
    private StateSnapshot _current;
    private Attempt? _attempt;
    private long _sequence;

    public ConnectionStateMachine(IVpnBackend backend, ReconnectSettings reconnect, TimeProvider time, ILogger<ConnectionStateMachine> logger)
    {
        _backend = backend;
        _reconnect = reconnect;
        _time = time;
        _logger = logger;
        _current = new StateSnapshot(ConnectionStatus.Disconnected, null, null, 0);
    }

    /// <summary>A tunnel up this long has proven itself: its loss restarts the reconnect backoff from the beginning.</summary>
    internal static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    /// <summary>How long a prompt waits for an answer before the attempt fails.</summary>
    public TimeSpan PromptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public StateSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The current status, with live byte counters while connected.</summary>
    public ConnectionStatus GetStatus()
    {
        StateSnapshot snapshot;
        ITunnelHandle? tunnel;
        lock (_gate)
        {
            snapshot = _current;
            tunnel = _attempt?.Tunnel;
        }
        if (snapshot.Status.State == ConnectionState.Connected && tunnel?.ReadCounters() is { } counters)
        {
            return snapshot.Status with { BytesIn = counters.BytesIn, BytesOut = counters.BytesOut };
        }
        return snapshot.Status;
    }

    /// <summary>Proves the state machine is not wedged (for the systemd watchdog).</summary>
    public bool IsResponsive()
    {
        if (!Monitor.TryEnter(_gate, TimeSpan.FromSeconds(1)))
        {
            return false;
        }
        Monitor.Exit(_gate);
        return true;
    }

    /// <summary>Subscribes to every change. The subscription starts with the current state, atomically.</summary>
    public Subscription Subscribe(int capacity = 64)
    {
        var channel = Channel.CreateBounded<StateSnapshot>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_gate)
        {
            channel.Writer.TryWrite(_current);
            _subscribers.Add(channel);
        }
        return new Subscription(this, channel);
    }

    private void Unsubscribe(Channel<StateSnapshot> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }
        channel.Writer.TryComplete();
    }

    /// <summary>
    /// Moves to the state <paramref name="event"/> leads to (<see cref="ConnectionTransitions"/>) with the details
    /// <paramref name="change"/> makes, and publishes it. False when the event changes nothing in this state. Callers
    /// hold the lock.
    /// </summary>
    private bool Transition(ConnectionEvent @event, Func<ConnectionStatus, ConnectionStatus> change, FailureKind? failure, uint? owner)
    {
        if (ConnectionTransitions.Next(_current.Status.State, @event) is not { } next)
        {
            return false;
        }
        Publish(change(_current.Status) with { State = next }, failure, owner);
        return true;
    }

    /// <summary>Replaces the current state and tells every subscriber. Callers hold the lock. No change, no news.</summary>
    private void Publish(ConnectionStatus status, FailureKind? failure, uint? owner)
    {
        ConnectionStatus previous = _current.Status;
        if (status == previous && failure == _current.Failure)
        {
            return;
        }
        _current = new StateSnapshot(status, failure, owner, ++_sequence) { Source = _attempt?.Request.Source };
        for (int i = _subscribers.Count - 1; i >= 0; i--)
        {
            Channel<StateSnapshot> subscriber = _subscribers[i];
            if (!subscriber.Writer.TryWrite(_current))
            {
                // A subscriber that stopped reading must not hold the state machine back, nor grow without bound.
                subscriber.Writer.TryComplete(new SubscriberTooSlowException());
                _subscribers.RemoveAt(i);
            }
        }
        bool stateChanged = status.State != previous.State;
        if (stateChanged || (status.Message != previous.Message && status.Message is not null))
        {
            using (_logger.BeginScope(new StateScope(status.State.ToString(), status.Portal, status.Gateway?.Name)))
            {
                if (stateChanged)
                {
                    LogStateChanged(_logger, status.Summary());
                }
                else
                {
                    LogProgress(_logger, status.Message!);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (Channel<StateSnapshot> subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }
            _subscribers.Clear();
        }
    }

    internal sealed class Subscription(ConnectionStateMachine owner, Channel<StateSnapshot> channel) : IDisposable
    {
        public ChannelReader<StateSnapshot> Reader => channel.Reader;

        public void Dispose() => owner.Unsubscribe(channel);
    }

    /// <summary>One Connect, from Authenticating until it is disconnected or fails.</summary>
    private sealed class Attempt(ConnectRequest request, uint ownerUid)
    {
        public ConnectRequest Request { get; } = request;
        public uint OwnerUid { get; } = ownerUid;
        public CancellationTokenSource Cancel { get; } = new();
        public Task Run { get; set; } = Task.CompletedTask;
        public ITunnelHandle? Tunnel { get; set; }
        public PendingPrompt? Prompt { get; set; }
        public bool Stopping { get; set; }
        public Task<ConnectionStatus>? Stopped { get; set; }
        public bool WasUp { get; set; }
        public DateTimeOffset? UpSince { get; set; }
    }

    private sealed record PendingPrompt(string Id, TaskCompletionSource<string> Answer, bool SignIn);
}
