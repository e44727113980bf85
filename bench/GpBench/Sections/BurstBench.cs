using System.Diagnostics;
using GpBench.Support;

namespace GpBench.Sections;

/// <summary>
/// Bursts beyond max_connections, on a daemon with the default limits: every client connects at once, makes its calls
/// and hangs up. Clients over the limit wait for a slot; none may fail.
/// </summary>
internal static class BurstBench
{
    public const int CallsPerClient = 20;

    public sealed record Result(int Clients, double Seconds, long Calls, long Errors, Stats Latency, string FirstError);

    public static async Task<Result> RunAsync(string socketPath, int clients, CancellationToken cancellationToken)
    {
        // Against a hang only: a burst that has not finished in two minutes fails the run.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        cancellationToken = limit.Token;
        var latencies = new long[clients][];
        long errors = 0;
        string firstError = "";
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ClientAsync(int index)
        {
            var mine = latencies[index] = new long[CallsPerClient];
            await go.Task.ConfigureAwait(false);
            try
            {
                // The first call's latency includes connecting and any wait for a slot: what a script sees.
                long start = Stopwatch.GetTimestamp();
                await using StatusClient client = await StatusClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
                for (int call = 0; call < CallsPerClient; call++)
                {
                    await client.CallAsync(cancellationToken).ConfigureAwait(false);
                    long now = Stopwatch.GetTimestamp();
                    mine[call] = now - start;
                    start = now;
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException or OperationCanceledException)
            {
                if (Interlocked.Increment(ref errors) == 1)
                {
                    firstError = ex.Message;
                }
            }
        }

        Task[] tasks = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(i), cancellationToken))];
        long started = Stopwatch.GetTimestamp();
        go.SetResult();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        long[] all = [.. latencies.SelectMany(l => l).Where(t => t > 0)];
        return new Result(clients, seconds, all.Length, errors, Stats.FromTicks(all), firstError);
    }

    public static void Report(Markdown report, BenchContext context, IReadOnlyList<Result> results)
    {
        report.Heading("Bursts beyond max_connections");
        report.Line($"A daemon with the default limits (`max_connections = 128`, 8 more kept for root): N clients in one process connect "
            + $"at the same moment, make {CallsPerClient} GetStatus calls each and hang up. Those over the limit wait for a slot "
            + "(the first call's latency includes connecting and that wait). Run as root.").Line();
        report.Table(["clients", "calls", "errors", "p50", "p99", "max", "whole burst"],
            results.Select(r => (IReadOnlyList<string>)[Markdown.Number(r.Clients), Markdown.Number(r.Calls), Markdown.Number(r.Errors),
                Markdown.Ms(r.Latency.MedianMs), Markdown.Ms(r.Latency.P99Ms), Markdown.Ms(r.Latency.MaxMs), Markdown.Ms(r.Seconds * 1000)]));
        foreach (Result r in results.Where(r => r.Errors > 0))
        {
            report.Line().Line($"First error ({r.Clients} clients): {r.FirstError}");
        }
        foreach (Result r in results)
        {
            context.Targets.Add(new TargetCheck($"a burst of {r.Clients} clients x {CallsPerClient} calls beyond max_connections: no errors",
                $"{r.Errors} errors of {r.Clients * CallsPerClient} calls, p99 {Markdown.Ms(r.Latency.P99Ms)}", r.Errors == 0 && r.Calls == r.Clients * CallsPerClient));
        }
    }
}
