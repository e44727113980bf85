using System.Threading.Channels;
using GpControl;
using GpDaemon.Config;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

/// <summary>
/// The connection state machine: the one owner of the one tunnel. Every transition happens under one lock, so two
/// Connect calls racing from two terminals cannot both see "Disconnected"; every change is published, in order, to
/// every subscriber.
/// </summary>
internal sealed partial class VpnController : IAsyncDisposable
{
    internal static readonly string DaemonVersion =
        typeof(VpnController).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly object _gate = new();
    private readonly IVpnBackend _backend;
    private readonly ReconnectSettings _reconnect;
    private readonly TimeProvider _time;
    private readonly ILogger<VpnController> _logger;
    private readonly List<Channel<StateSnapshot>> _subscribers = [];
    private StateSnapshot _current;
    private Attempt? _attempt;
    private long _sequence;

    public VpnController(IVpnBackend backend, ReconnectSettings reconnect, TimeProvider time, ILogger<VpnController> logger)
    {
        _backend = backend;
        _reconnect = reconnect;
        _time = time;
        _logger = logger;
        _current = new StateSnapshot(Blank(VpnState.Disconnected), null, null, 0);
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
    public VpnStatus GetStatus()
    {
        StateSnapshot snapshot;
        ITunnelHandle? tunnel;
        lock (_gate)
        {
            snapshot = _current;
            tunnel = _attempt?.Tunnel;
        }
        if (snapshot.Status.StateValue == VpnState.Connected && tunnel?.ReadCounters() is { } counters)
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

    /// <summary>Replaces the current state and tells every subscriber. Callers hold the lock. No change, no news.</summary>
    private void Publish(VpnStatus status, FailureKind? failure, uint? owner)
    {
        VpnStatus previous = _current.Status;
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
            using (_logger.BeginScope(new StateScope(status.State, status.Portal, status.Gateway?.Name)))
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

    private static VpnStatus Blank(VpnState state) => new()
    {
        State = state.ToString(),
        DaemonPid = Environment.ProcessId,
        Version = DaemonVersion,
    };

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

    internal sealed class Subscription(VpnController owner, Channel<StateSnapshot> channel) : IDisposable
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
        public Task<VpnStatus>? Stopped { get; set; }
        public bool WasUp { get; set; }
        public DateTimeOffset? UpSince { get; set; }
    }

    private sealed record PendingPrompt(string Id, TaskCompletionSource<string> Answer, bool SignIn);
}
