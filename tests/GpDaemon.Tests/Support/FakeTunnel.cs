using System.Threading.Channels;
using GpDaemon.Connection;

namespace GpDaemon.Tests.Support;

/// <summary>A tunnel whose life the test drives: it comes up, drops or exits when told. Counts stops and disposals.</summary>
internal sealed class FakeTunnel(int processId, LoginOutcome login) : ITunnelHandle
{
    private readonly Channel<TunnelChange> _changes = Channel.CreateUnbounded<TunnelChange>();
    private int _stops;
    private int _disposals;

    public static readonly TunnelDetails DefaultDetails =
        new("tun7", "10.1.2.3", "fd00::3", ["10.0.0.53", "10.0.0.54"], ["10.0.0.0/8", "192.168.100.0/24"]);

    public int? ProcessId { get; } = processId;

    public LoginOutcome Login { get; } = login;

    public ChannelReader<TunnelChange> Changes => _changes.Reader;

    public (long BytesIn, long BytesOut)? Counters { get; set; }

    /// <summary>When set, StopAsync waits for it: openconnect taking its time to log out.</summary>
    public TaskCompletionSource? StopGate { get; set; }

    public int Stops => Volatile.Read(ref _stops);

    public int Disposals => Volatile.Read(ref _disposals);

    public (long BytesIn, long BytesOut)? ReadCounters() => Counters;

    public void Up(TunnelDetails? details = null) => _changes.Writer.TryWrite(new TunnelChange.Up(details ?? DefaultDetails));

    public void Reconnecting(string reason) => _changes.Writer.TryWrite(new TunnelChange.Reconnecting(reason));

    public void Exit(int exitCode, string? reason = null, bool cookieRejected = false)
    {
        _changes.Writer.TryWrite(new TunnelChange.Exited(exitCode, cookieRejected, reason));
        _changes.Writer.TryComplete();
    }

    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        if (StopGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        Exit(0, "stopped");
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
