using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Network;

/// <summary>Every status the daemon publishes from now on (gpctl watch's stream), so a test sees the brief
/// Reconnecting that a poll could miss. Disposing stops watching.</summary>
internal sealed class StatusLog : IAsyncDisposable
{
    private readonly List<VpnStatus> _seen = [];
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(5));
    private readonly Task _watching;

    private readonly DaemonProcess _daemon;

    private StatusLog(DaemonProcess daemon, VpnClient client)
    {
        _daemon = daemon;
        _watching = WatchAsync(client);
    }

    public static async Task<StatusLog> StartAsync(DaemonProcess daemon) => new(daemon, await daemon.ClientAsync());

    public IReadOnlyList<VpnStatus> Seen
    {
        get
        {
            lock (_seen)
                return [.. _seen];
        }
    }

    /// <summary>The states seen, in order, repeats folded: "Connected, Reconnecting, Connected".</summary>
    public string States => string.Join(", ", Seen.Select(s => s.State).Aggregate(new List<string>(), (list, s) =>
    {
        if (list.Count == 0 || list[^1] != s)
            list.Add(s);
        return list;
    }));

    /// <summary>Waits until a status seen from index <paramref name="from"/> on satisfies <paramref name="condition"/>.</summary>
    public async Task<VpnStatus> WaitForAsync(Func<VpnStatus, bool> condition, string what, int from = 0, TimeSpan? timeout = null) =>
        (await Poll.UntilAsync(() => Task.FromResult(Seen.Skip(from).FirstOrDefault(condition)), s => s is not null, what,
            _ => States + "; last " + Seen.LastOrDefault() + "\n" + _daemon.Output, timeout ?? TimeSpan.FromSeconds(30)))!;

    private async Task WatchAsync(VpnClient client)
    {
        await using (client)
        {
            try
            {
                await foreach (VpnStatus status in client.WatchAsync(_stop.Token))
                {
                    lock (_seen)
                        _seen.Add(status);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The daemon stopped.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }
}
