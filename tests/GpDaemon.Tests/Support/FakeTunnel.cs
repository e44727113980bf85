using System.Threading.Channels;
using GpDaemon.Backend;
using GpTunnel;

namespace GpDaemon.Tests.Support;

/// <summary>
/// A tunnel whose life the test drives: it comes up, drops or exits when told. Counts stops, disposals and reconnect
/// requests.
/// </summary>
internal sealed class FakeTunnel(int processId, IVpnSession session) : ITunnelHandle
{
    private readonly Channel<TunnelEvent> _events = Channel.CreateUnbounded<TunnelEvent>();
    private readonly Channel<string> _reconnectRequests = Channel.CreateUnbounded<string>();
    private int _stops;
    private int _disposals;
    private int _reconnects;

    public static readonly TunnelInfo DefaultDetails =
        new("tun7", "10.1.2.3", "fd00::3", ["10.0.0.53", "10.0.0.54"], ["10.0.0.0/8", "192.168.100.0/24"], "192.0.2.1", 1400);

    public int? ProcessId { get; } = processId;

    /// <summary>The login this tunnel was started from.</summary>
    public IVpnSession Session { get; } = session;

    public ChannelReader<TunnelEvent> Events => _events.Reader;

    public (long BytesIn, long BytesOut)? Counters { get; set; }

    /// <summary>The host-information report's outcome; completed with null (none tried) unless the test holds it.</summary>
    public TaskCompletionSource<string?> HipReportOutcome { get; private set; } = NoHipReport();

    /// <summary>Completed once the state machine has asked for the report's outcome (the tunnel came up).</summary>
    public TaskCompletionSource HipReportAsked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string?> HipReport
    {
        get
        {
            HipReportAsked.TrySetResult();
            return HipReportOutcome.Task;
        }
    }

    /// <summary>When set, StopAsync waits for it: openconnect taking its time to log out.</summary>
    public TaskCompletionSource? StopGate { get; set; }

    public int Stops => Volatile.Read(ref _stops);

    public int Disposals => Volatile.Read(ref _disposals);

    /// <summary>How often the state machine told this tunnel to reconnect (openconnect's SIGUSR2).</summary>
    public int ReconnectRequests => Volatile.Read(ref _reconnects);

    public (long BytesIn, long BytesOut)? ReadCounters() => Counters;

    public void Up(TunnelInfo? details = null) => _events.Writer.TryWrite(new TunnelUp(details ?? DefaultDetails));

    public void Reconnecting(string reason) => _events.Writer.TryWrite(new TunnelReconnecting(reason));

    public void Exit(int exitCode, string? reason = null, bool cookieRejected = false)
    {
        _events.Writer.TryWrite(new TunnelExited(exitCode, cookieRejected, reason));
        _events.Writer.TryComplete();
    }

    public bool RequestReconnect(string reason)
    {
        Interlocked.Increment(ref _reconnects);
        _reconnectRequests.Writer.TryWrite(reason);
        return true;
    }

    /// <summary>The reason of the next reconnect request.</summary>
    public async Task<string> NextReconnectRequestAsync() => await _reconnectRequests.Reader.ReadAsync(Wait.Token());

    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        if (StopGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        Exit(0, "stopped");
    }

    /// <summary>Holds the report's outcome back until the test sets it.</summary>
    public FakeTunnel WithPendingHipReport()
    {
        HipReportOutcome = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        return this;
    }

    private static TaskCompletionSource<string?> NoHipReport()
    {
        var none = new TaskCompletionSource<string?>();
        none.SetResult(null);
        return none;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
