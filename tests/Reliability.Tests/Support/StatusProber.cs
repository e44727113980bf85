using System.Collections.Concurrent;
using GpControl;

namespace Reliability.Tests.Support;

/// <summary>
/// A well-behaved client that asks GetStatus over and over while others misbehave. Each probe retries a refused or
/// dropped connection (a full daemon may turn it away for a moment) until <see cref="ProbeBound"/>, a bound that only
/// detects a daemon that stopped serving; every answer must be a correct status of this daemon.
/// </summary>
internal sealed class StatusProber(string socketPath, int daemonPid) : IAsyncDisposable
{
    public static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan AttemptBound = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private Task _loop = Task.CompletedTask;
    private int _answered;
    private int _retried;

    public int Answered => Volatile.Read(ref _answered);

    public int Retried => Volatile.Read(ref _retried);

    public IReadOnlyCollection<string> Problems => _problems;

    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? problem = await ProbeAsync();
            if (problem is not null)
            {
                _problems.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {problem}");
            }
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Null when a correct status came back within the bound, else what went wrong.</summary>
    public async Task<string?> ProbeAsync()
    {
        DateTime giveUp = DateTime.UtcNow + ProbeBound;
        string last = "no attempt";
        while (DateTime.UtcNow < giveUp)
        {
            try
            {
                using var attempt = new CancellationTokenSource(AttemptBound);
                await using VpnClient client = await VpnClient.ConnectAsync(socketPath, attempt.Token);
                VpnStatus status = await client.GetStatusAsync(attempt.Token);
                Interlocked.Increment(ref _answered);
                if (status.DaemonPid != daemonPid || !Enum.TryParse<VpnState>(status.State, out _) || string.IsNullOrEmpty(status.Version))
                {
                    return $"a wrong status: {status}";
                }
                return null;
            }
            catch (Exception ex) when (ex is IOException or DaemonUnreachableException or OperationCanceledException
                or System.Net.Sockets.SocketException or GpControl.Varlink.VarlinkProtocolException)
            {
                // Turned away (all connections taken) or cut: try again shortly, within the bound.
                last = ex.GetType().Name + ": " + ex.Message;
                Interlocked.Increment(ref _retried);
                await Task.Delay(50);
            }
        }
        return $"no status within {ProbeBound.TotalSeconds} s; last: {last}";
    }

    /// <summary>Ends the probing loop (idempotent); the counters and problems stay readable.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
