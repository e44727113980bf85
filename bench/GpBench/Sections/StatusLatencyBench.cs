using GpBench.Support;

namespace GpBench.Sections;

/// <summary>`gpctl status --json` wall time next to /bin/true and the smallest possible round trip (socat).</summary>
internal static class StatusLatencyBench
{
    public static async Task RunAsync(BenchContext context, Markdown report, string socketPath, CancellationToken cancellationToken)
    {
        string work = context.Scratch("status");
        string request = Path.Combine(work, "request");
        await File.WriteAllBytesAsync(request, StatusClient.RequestBytes, cancellationToken).ConfigureAwait(false);
        string gpctl = $"{context.Gpctl} --socket {socketPath} status --json";
        string socat = $"socat -t 5 OPEN:{request},rdonly!!STDOUT UNIX-CONNECT:{socketPath}";
        string version = $"{context.Gpctl} --version";
        List<string> commands = [gpctl, socat, "/bin/true", version];
        if (context.CompareDirectory is not null)
        {
            commands.Add($"{Path.Combine(context.CompareDirectory, "gpctl")} --socket {socketPath} status --json");
        }
        int runs = context.Quick ? 30 : 500;
        IReadOnlyList<Hyperfine.Result> results = await Hyperfine.RunAsync(commands, warmup: context.Quick ? 5 : 50, runs, work, cancellationToken).ConfigureAwait(false);
        Hyperfine.Result gpctlResult = results[0], socatResult = results[1];

        report.Heading("`gpctl status --json` against the running daemon");
        report.Line($"hyperfine, no shell, {runs} runs after a warm-up, all in one run so that they share the machine's state. "
            + "The socat line is the floor for a client process: connect, send the GetStatus call, read the reply, exit. "
            + "`gpctl --version` is the same binary doing no call: what process start, the runtime and the command-line parser cost.").Line();
        report.Table(["command", "p10", "median", "p90", "mean CPU (user+sys)", "median vs socat"],
            results.Select(r => (IReadOnlyList<string>)[$"`{Shorten(context, r.Command)}`", Markdown.Ms(r.Wall.P10Ms), Markdown.Ms(r.Wall.MedianMs),
                Markdown.Ms(r.Wall.P90Ms), Markdown.Ms(r.MeanCpuMs), Markdown.Ratio(r.Wall.MedianMs / socatResult.Wall.MedianMs)]));
        double ratio = gpctlResult.Wall.MedianMs / socatResult.Wall.MedianMs;
        context.Targets.Add(new TargetCheck("`gpctl status` within 1.3x of the socat round trip (median)",
            $"{Markdown.Ms(gpctlResult.Wall.MedianMs)} vs {Markdown.Ms(socatResult.Wall.MedianMs)} = {Markdown.Ratio(ratio)}", ratio <= 1.3));
    }

    private static string Shorten(BenchContext context, string command)
    {
        // The compare directory first: it may start with the out directory's path (out, out-jit).
        if (context.CompareDirectory is not null)
        {
            command = command.Replace(context.CompareDirectory + "/", "$COMPARE/", StringComparison.Ordinal);
        }
        return command.Replace(context.OutDirectory + "/", "$OUT/", StringComparison.Ordinal).Replace(context.WorkDirectory + "/", "$WORK/", StringComparison.Ordinal);
    }
}
