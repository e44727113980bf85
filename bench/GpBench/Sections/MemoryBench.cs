using GpBench.Support;

namespace GpBench.Sections;

/// <summary>Daemon memory idle and after batches of 10 000 status calls, each on its own connection as gpctl makes them.</summary>
internal static class MemoryBench
{
    public const int Batch = 10_000;

    public static async Task RunAsync(BenchContext context, Markdown report, int daemonPid, string socketPath, CancellationToken cancellationToken)
    {
        int batches = context.Quick ? 1 : 3;
        int perBatch = context.Quick ? 1_000 : Batch;
        var rows = new List<IReadOnlyList<string>>();
        (long idleRss, long idlePeak) = ProcStat.Memory(daemonPid);
        rows.Add(["before the batches (after the runs of gpctl status above)", Markdown.MiB(idleRss), Markdown.MiB(idlePeak), ""]);
        long afterFirst = 0, afterLast = 0;
        // Against a hang: every batch has finished in seconds.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        cancellationToken = limit.Token;
        for (int batch = 1; batch <= batches; batch++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < perBatch; i++)
            {
                await using StatusClient client = await StatusClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
                await client.CallAsync(cancellationToken).ConfigureAwait(false);
            }
            double seconds = started.Elapsed.TotalSeconds;
            (long rss, long peak) = ProcStat.Memory(daemonPid);
            afterFirst = batch == 1 ? rss : afterFirst;
            afterLast = rss;
            rows.Add([$"after {batch * perBatch:N0} calls", Markdown.MiB(rss), Markdown.MiB(peak), $"{Markdown.Number(perBatch / seconds)} calls/s"]);
        }

        report.Heading("Daemon memory under repeated status calls");
        report.Line($"Batches of {perBatch:N0} GetStatus calls, one after the other, each on a new connection (as `gpctl status` makes them).").Line();
        report.Table(["when", "RSS", "peak RSS (VmHWM)", "sequential rate"], rows);
        long growth = afterLast - afterFirst;
        report.Line().Line($"Growth from the first batch to the last: {Markdown.MiB(growth)}.");
        context.Targets.Add(new TargetCheck($"no RSS growth over {batches * perBatch:N0} status calls (after the first {perBatch:N0})",
            $"{Markdown.MiB(afterFirst)} -> {Markdown.MiB(afterLast)}", growth < 1024));
    }
}
