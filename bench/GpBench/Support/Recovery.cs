using System.Diagnostics;
using GpDaemon.TestSupport;

namespace GpBench.Support;

/// <summary>
/// What the recovery benchmarks share: waiting for the fake gateway's next tunnel or the daemon's Connected, measured
/// from an instant, and openconnect alone kept running with the same dead-peer interval the daemon gives it.
/// </summary>
internal static class Recovery
{
    /// <summary>The dead-peer interval both paths run with (`[openconnect] dpd` and `--force-dpd`): the smallest the daemon accepts.</summary>
    public const int DeadPeerSeconds = 5;

    /// <summary>How long a recovery may take before the run counts as failed: several dead-peer intervals and openconnect's first retries.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>How many of <paramref name="events"/> the fake has logged.</summary>
    public static int Count(FakePortal portal, string[] events) => events.Sum(portal.Count);

    /// <summary>Completes with the Stopwatch timestamp at which the fake gateway has logged more than <paramref name="before"/> of <paramref name="events"/>.</summary>
    public static async Task<long> SeenAsync(FakePortal portal, string[] events, int before, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        while (Count(portal, events) <= before)
        {
            try
            {
                await Task.Delay(5, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the fake gateway logged no {string.Join(" or ", events)} within {Limit.TotalSeconds:0} s");
            }
        }
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Completes with the Stopwatch timestamp at which the daemon says Connected, after <paramref name="tunnel"/> (the new tunnel) has come.</summary>
    public static async Task<long> ConnectedAfterAsync(Daemon daemon, Task<long> tunnel, CancellationToken cancellationToken)
    {
        await tunnel.ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        await using StatusClient client = await StatusClient.ConnectAsync(daemon.SocketPath, limit.Token).ConfigureAwait(false);
        while (await client.StateAsync(limit.Token).ConfigureAwait(false) != "Connected")
        {
            await Task.Delay(5, limit.Token).ConfigureAwait(false);
        }
        return Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Starts openconnect as the connect benchmark does (password on stdin, `--script-tun` into `cat`), with
    /// `--force-dpd`, through <paramref name="launcher"/> (e.g. nsenter into a namespace) when given, and waits for its
    /// "Configured as" line.
    /// </summary>
    public static async Task<Child> OpenConnectAloneAsync(BenchContext context, string address, string pin, string[] launcher, CancellationToken cancellationToken)
    {
        string[] command = [context.OpenConnect, "--protocol=gp", "--passwd-on-stdin", "-u", "test", "--servercert", pin,
            $"--force-dpd={DeadPeerSeconds}", "--script-tun", "--script", "exec cat <&$VPNFD >/dev/null", address];
        string[] argv = [.. launcher, .. command];
        Child openconnect = Child.Start(argv[0], argv[1..], stdin: "secret\n");
        try
        {
            await openconnect.WhenLineAsync("Configured as").WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            string output = openconnect.Output;
            await StopAsync(openconnect).ConfigureAwait(false);
            throw new TimeoutException($"openconnect never said \"Configured as\":\n{output}");
        }
        return openconnect;
    }

    /// <summary>Ends openconnect alone and its packet handler (which can outlive it holding its output pipes).</summary>
    public static async Task StopAsync(Child openconnect)
    {
        IReadOnlyList<int> handlers = openconnect.Children();
        await openconnect.StopAsync(TimeSpan.FromSeconds(15), Signals.SIGINT).ConfigureAwait(false);
        foreach (int pid in handlers)
        {
            Signals.Send(pid, Signals.SIGTERM);
        }
        await openconnect.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A ratio far below 1 keeps its digits (0.003x, not 0.00x).</summary>
    public static string Ratio(double ratio) => ratio < 0.1 ? Markdown.Number(ratio, "0.000") + "x" : Markdown.Ratio(ratio);

    /// <summary>The side-by-side table: the daemon until the fake sees it (<paramref name="seen"/>) and until Connected, openconnect alone until the fake sees it.</summary>
    public static void Table(Markdown report, string seen, Stats daemonTunnel, Stats daemonConnected, Stats alone)
    {
        IReadOnlyList<string> Row(string path, Stats s) =>
            [path, Markdown.Number(s.Count), Markdown.Ms(s.MinMs), Markdown.Ms(s.MedianMs), Markdown.Ms(s.MaxMs), Ratio(s.MedianMs / alone.MedianMs)];
        report.Table(["path", "runs", "min", "median", "max", "median vs openconnect alone"],
        [
            Row($"gpdaemon: until {seen}", daemonTunnel),
            Row("gpdaemon: until it says Connected", daemonConnected),
            Row($"openconnect alone: until {seen}", alone),
        ]);
    }
}
