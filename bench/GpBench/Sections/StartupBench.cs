using GpBench.Support;

namespace GpBench.Sections;

/// <summary>Daemon start to READY=1, and its memory right then and after a few idle seconds.</summary>
internal static class StartupBench
{
    public sealed record Result(string Label, Stats StartToReady, long RssAtReadyKiB, long IdleRssKiB, int IdleThreads);

    public static async Task<Result> RunAsync(BenchContext context, string label, string daemonPath, int runs, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var rssAtReady = new List<long>();
        long idleRss = 0;
        int idleThreads = 0;
        // One unmeasured start first: the binary's pages come from disk the first time, later from the page cache,
        // as on a machine where the service has started before.
        for (int run = -1; run < runs; run++)
        {
            string root = context.Scratch($"startup-{label}-{run + 1}");
            await using Daemon daemon = await Daemon.StartAsync(daemonPath, root, "", cancellationToken).ConfigureAwait(false);
            if (run < 0)
            {
                continue;
            }
            times.Add(daemon.StartToReady.TotalMilliseconds);
            rssAtReady.Add(ProcStat.Memory(daemon.Pid).RssKiB);
            if (run == runs - 1)
            {
                // Idle: the startup work is done and nothing calls in.
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
                idleRss = ProcStat.Memory(daemon.Pid).RssKiB;
                idleThreads = ProcStat.Threads(daemon.Pid);
            }
        }
        return new Result(label, Stats.FromMilliseconds(times), (long)rssAtReady.Order().ElementAt(rssAtReady.Count / 2), idleRss, idleThreads);
    }

    public static void Report(Markdown report, BenchContext context, IReadOnlyList<Result> results)
    {
        report.Heading("Daemon start to READY=1, idle memory");
        report.Line("Each run starts `gpdaemon` with an empty config and `NOTIFY_SOCKET` set, as systemd starts a `Type=notify` service, and times "
            + "fork/exec to the `READY=1` datagram (the control socket listens by then). Idle: 3 s after the last start, nothing calling.").Line();
        report.Table(["build", "runs", "min", "median", "p90", "max", "RSS at READY", "RSS idle", "threads idle"],
            results.Select(r => (IReadOnlyList<string>)[r.Label, Markdown.Number(r.StartToReady.Count), Markdown.Ms(r.StartToReady.MinMs),
                Markdown.Ms(r.StartToReady.MedianMs), Markdown.Ms(r.StartToReady.P90Ms), Markdown.Ms(r.StartToReady.MaxMs),
                Markdown.MiB(r.RssAtReadyKiB), Markdown.MiB(r.IdleRssKiB), Markdown.Number(r.IdleThreads)]));
        Result measured = results[0];
        context.Targets.Add(new TargetCheck("daemon start to READY=1 under 100 ms (median)", Markdown.Ms(measured.StartToReady.MedianMs), measured.StartToReady.MedianMs < 100));
        context.Targets.Add(new TargetCheck("daemon RSS idle under 30 MiB", Markdown.MiB(measured.IdleRssKiB), measured.IdleRssKiB < 30 * 1024));
    }
}
