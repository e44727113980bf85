using System.Diagnostics;
using GpBench.Support;

namespace GpBench.Sections;

/// <summary>Control-plane throughput: many clients calling GetStatus at once for a fixed time.</summary>
internal static class LoadBench
{
    public sealed record Result(string Mode, int Clients, double Seconds, long Calls, long Errors, Stats Latency, double DaemonCpuPercent, long RssKiB, long PeakKiB, int Threads, string FirstError)
    {
        /// <summary>Connections the daemon refused for being over max_connections (its own warning lines).</summary>
        public int Refused { get; init; }

        /// <summary>accept(2) failures the daemon logged (EMFILE and the like).</summary>
        public int AcceptFailed { get; init; }
    }

    public const string AcceptFailedLine = "Accepting a control connection failed";

    public const string RefusedLine = "Refused a control connection";

    public static async Task<Result> RunAsync(Support.Daemon daemon, int clients, TimeSpan duration, bool connectionPerCall, CancellationToken cancellationToken)
    {
        daemon.Tally(RefusedLine);
        daemon.Tally(AcceptFailedLine);
        int refusedBefore = daemon.Count(RefusedLine), acceptFailedBefore = daemon.Count(AcceptFailedLine);
        Result result = await RunAsync(daemon.Pid, daemon.SocketPath, clients, duration, connectionPerCall, cancellationToken).ConfigureAwait(false);
        return result with { Refused = daemon.Count(RefusedLine) - refusedBefore, AcceptFailed = daemon.Count(AcceptFailedLine) - acceptFailedBefore };
    }

    private static async Task<Result> RunAsync(int daemonPid, string socketPath, int clients, TimeSpan duration, bool connectionPerCall, CancellationToken cancellationToken)
    {
        // Against a hang: the run ends at its deadline; a call still pending 30 s later fails it.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(40));
        cancellationToken = limit.Token;
        var latencies = new List<long>[clients];
        long errors = 0;
        string firstError = "";
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long deadline = 0;

        async Task WorkerAsync(int index)
        {
            var mine = latencies[index] = new List<long>(64 * 1024);
            StatusClient? client = null;
            try
            {
                if (!connectionPerCall)
                {
                    client = await StatusClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
                }
                await go.Task.ConfigureAwait(false);
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        if (connectionPerCall)
                        {
                            await using StatusClient once = await StatusClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
                            await once.CallAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            client ??= await StatusClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
                            await client.CallAsync(cancellationToken).ConfigureAwait(false);
                        }
                        mine.Add(Stopwatch.GetTimestamp() - start);
                    }
                    catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException)
                    {
                        if (Interlocked.Increment(ref errors) == 1)
                        {
                            firstError = ex.Message;
                        }
                        if (client is not null)
                        {
                            await client.DisposeAsync().ConfigureAwait(false);
                            client = null;
                        }
                        // Bounded: an erroring daemon ends the run at the deadline like a healthy one, without spinning.
                        await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                if (client is not null)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        Task[] workers = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => WorkerAsync(i), cancellationToken))];
        // Let every persistent client connect before the clock starts.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        long cpuBefore = ProcStat.CpuTicks(daemonPid);
        long started = Stopwatch.GetTimestamp();
        deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        go.SetResult();
        await Task.WhenAll(workers).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        long cpuAfter = ProcStat.CpuTicks(daemonPid);
        (long rss, long peak) = ProcStat.Memory(daemonPid);
        int threads = ProcStat.Threads(daemonPid);
        List<long> all = [.. latencies.SelectMany(l => l)];
        return new Result(connectionPerCall ? "new connection per call" : "one connection per client", clients, seconds, all.Count, errors,
            Stats.FromTicks(all), (cpuAfter - cpuBefore) / ProcStat.TicksPerSecond / seconds * 100, rss, peak, threads, firstError);
    }

    public static void Report(Markdown report, BenchContext context, IReadOnlyList<Result> results, int maxConnections)
    {
        report.Heading("Control-plane throughput");
        report.Line($"{results[0].Clients} concurrent clients in one process (async, on the same 2 cores as the daemon) call GetStatus back to back "
            + $"for {Markdown.Number(results[0].Seconds, "0")} s; latency is per call, as the client sees it. The daemon runs with "
            + $"`[control] max_connections = {maxConnections}` (with the default, 128 and 8 more for root, 64 of 200 persistent clients would wait for a slot all run long). "
            + "CPU is the daemon's user+system time over the run, in % of one core (200% = both cores).").Line();
        report.Table(["mode", "calls/s", "p50", "p99", "max", "errors", "refused by the daemon", "accept failures", "daemon CPU", "daemon RSS after", "peak RSS", "threads"],
            results.Select(r => (IReadOnlyList<string>)[r.Mode, Markdown.Number(r.Calls / r.Seconds), Markdown.Ms(r.Latency.MedianMs),
                Markdown.Ms(r.Latency.P99Ms), Markdown.Ms(r.Latency.MaxMs), Markdown.Number(r.Errors), Markdown.Number(r.Refused), Markdown.Number(r.AcceptFailed), Markdown.Number(r.DaemonCpuPercent) + "%",
                Markdown.MiB(r.RssKiB), Markdown.MiB(r.PeakKiB), Markdown.Number(r.Threads)]));
        foreach (Result r in results.Where(r => r.Errors > 0))
        {
            report.Line().Line($"First error ({r.Mode}): {r.FirstError}");
        }
        Result persistent = results[0];
        context.Targets.Add(new TargetCheck($"{persistent.Clients} concurrent clients: p99 under 20 ms, no errors",
            $"p99 {Markdown.Ms(persistent.Latency.P99Ms)}, {persistent.Errors} errors, {Markdown.Number(persistent.Calls / persistent.Seconds)} calls/s",
            persistent.Latency.P99Ms < 20 && persistent.Errors == 0));
    }
}
