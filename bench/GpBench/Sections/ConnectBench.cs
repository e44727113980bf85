using System.Diagnostics;
using GpBench.Support;

namespace GpBench.Sections;

/// <summary>
/// `gpctl connect` until Connected, against the fake portal, next to the real openconnect doing the same login and
/// tunnel on its own. Runs alternate, so that both see the same machine.
/// </summary>
internal static class ConnectBench
{
    public static async Task RunAsync(BenchContext context, Markdown report, Daemon daemon, FakePortal portal, CancellationToken cancellationToken)
    {
        int runs = context.Quick ? 2 : 9;
        var viaDaemon = new List<double>();
        var phases = new List<IReadOnlyList<double>>();
        var alone = new List<double>();
        long connectedRss = 0;
        int connectedThreads = 0;
        // Run -1 warms both paths up (page cache, the fake's first TLS handshake) and is not counted.
        for (int run = -1; run < runs; run++)
        {
            DateTime startedAt = DateTime.Now;
            double daemonMs = await ConnectViaDaemonAsync(context, daemon, portal, cancellationToken).ConfigureAwait(false);
            if (run >= 0 && Phases(daemon.Output, startedAt, startedAt.AddMilliseconds(daemonMs)) is { } split)
            {
                phases.Add(split);
            }
            if (run == runs - 1)
            {
                connectedRss = ProcStat.Memory(daemon.Pid).RssKiB;
                connectedThreads = ProcStat.Threads(daemon.Pid);
            }
            await DisconnectAsync(context, daemon, cancellationToken).ConfigureAwait(false);
            double aloneMs = await OpenConnectAloneAsync(context, portal, cancellationToken).ConfigureAwait(false);
            if (run >= 0)
            {
                viaDaemon.Add(daemonMs);
                alone.Add(aloneMs);
            }
        }
        Stats daemonStats = Stats.FromMilliseconds(viaDaemon), aloneStats = Stats.FromMilliseconds(alone);
        double ratio = daemonStats.MedianMs / aloneStats.MedianMs;

        report.Heading("Connect time against the fake portal");
        report.Line("`gpctl connect PORTAL --user test --passwd-on-stdin` from start to its exit on Connected (the daemon logs in to portal "
            + "and gateway itself, then starts openconnect with the cookie, `--script-tun`), next to "
            + "`openconnect --protocol=gp --passwd-on-stdin -u test --servercert PIN --script-tun --script 'exec cat <&$VPNFD >/dev/null' PORTAL` "
            + $"from start to its \"Configured as\" line. {runs} runs each, alternating, after one warm-up run of each.").Line();
        report.Table(["path", "min", "median", "max", "median vs openconnect alone"],
        [
            ["gpctl connect (daemon + openconnect)", Markdown.Ms(daemonStats.MinMs), Markdown.Ms(daemonStats.MedianMs), Markdown.Ms(daemonStats.MaxMs), Markdown.Ratio(ratio)],
            ["openconnect alone", Markdown.Ms(aloneStats.MinMs), Markdown.Ms(aloneStats.MedianMs), Markdown.Ms(aloneStats.MaxMs), "1.00x"],
        ]);
        if (phases.Count > 0)
        {
            report.Line().Line($"Where the daemon path's time goes (medians over {phases.Count} runs; from the daemon's log, whose clock has millisecond steps):").Line();
            report.Table(["phase", "median"], PhaseNames.Select((name, i) => (IReadOnlyList<string>)[name, Markdown.Ms(Stats.FromMilliseconds(phases.Select(p => p[i])).MedianMs)]));
        }
        report.Line().Line($"Daemon while connected: RSS {Markdown.MiB(connectedRss)}, {connectedThreads} threads (openconnect is a separate process).");
        context.Targets.Add(new TargetCheck("connect within 1.2x of openconnect alone (median)",
            $"{Markdown.Ms(daemonStats.MedianMs)} vs {Markdown.Ms(aloneStats.MedianMs)} = {Markdown.Ratio(ratio)}", ratio <= 1.2));
        context.Targets.Add(new TargetCheck("(informational) daemon RSS while connected", Markdown.MiB(connectedRss), connectedRss < 30 * 1024));
    }

    private static readonly string[] PhaseNames =
    [
        "gpctl start until the daemon has the Connect call",
        "daemon: portal and gateway login (prelogin, config, gateway login)",
        "daemon: session saved, openconnect spawned",
        "openconnect with the cookie until \"Configured as\" reaches the daemon",
        "until the tunnel handler's report: Connected",
        "Connected until gpctl has exited",
    ];

    /// <summary>The connect's phases from the daemon's log lines (HH:mm:ss.fff, local time) between two instants; null if a line is missing.</summary>
    private static double[]? Phases(string daemonOutput, DateTime started, DateTime ended)
    {
        string[] lines = daemonOutput.Split('\n');
        int first = Array.FindLastIndex(lines, l => l.Contains(" requested by uid ", StringComparison.Ordinal) && l.Contains(" INF Connect to ", StringComparison.Ordinal));
        if (first < 0)
        {
            return null;
        }
        TimeOnly? At(string text)
        {
            for (int i = first; i < lines.Length; i++)
            {
                if (lines[i].Contains(text, StringComparison.Ordinal) && TimeOnly.TryParseExact(lines[i][..Math.Min(12, lines[i].Length)], "HH:mm:ss.fff", out TimeOnly t))
                {
                    return t;
                }
            }
            return null;
        }
        TimeOnly? requested = At(" requested by uid "), loggedIn = At(" INF Logged in to "), spawned = At(" INF openconnect started with pid "),
            configured = At("]: Configured as "), connected = At(" INF Connected: ");
        if (requested is null || loggedIn is null || spawned is null || configured is null || connected is null)
        {
            return null;
        }
        static double Ms(TimeOnly from, TimeOnly to) => (to - from).TotalMilliseconds;
        return
        [
            Ms(TimeOnly.FromDateTime(started), requested.Value), Ms(requested.Value, loggedIn.Value), Ms(loggedIn.Value, spawned.Value),
            Ms(spawned.Value, configured.Value), Ms(configured.Value, connected.Value), Ms(connected.Value, TimeOnly.FromDateTime(ended)),
        ];
    }

    private static async Task<double> ConnectViaDaemonAsync(BenchContext context, Daemon daemon, FakePortal portal, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using Child gpctl = Child.Start(context.Gpctl,
            ["--socket", daemon.SocketPath, "connect", portal.Address, "--user", "test", "--passwd-on-stdin"], stdin: "secret\n");
        int exit = await gpctl.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (exit != 0)
        {
            throw new InvalidOperationException($"gpctl connect exited {exit}:\n{gpctl.Output}\n--- gpdaemon:\n{daemon.Output}");
        }
        return ms;
    }

    private static async Task DisconnectAsync(BenchContext context, Daemon daemon, CancellationToken cancellationToken)
    {
        await using Child gpctl = Child.Start(context.Gpctl, ["--socket", daemon.SocketPath, "disconnect"]);
        await gpctl.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        for (int i = 0; i < 600; i++)
        {
            await using StatusClient client = await StatusClient.ConnectAsync(daemon.SocketPath, limit.Token).ConfigureAwait(false);
            if (await client.StateAsync(limit.Token).ConfigureAwait(false) == "Disconnected")
            {
                return;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException($"gpdaemon did not get back to Disconnected:\n{daemon.Output}");
    }

    private static async Task<double> OpenConnectAloneAsync(BenchContext context, FakePortal portal, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using Child openconnect = Child.Start(context.OpenConnect,
            ["--protocol=gp", "--passwd-on-stdin", "-u", "test", "--servercert", portal.Pin, "--script-tun", "--script", "exec cat <&$VPNFD >/dev/null", portal.Address],
            stdin: "secret\n");
        long configured;
        try
        {
            configured = await openconnect.WhenLineAsync("Configured as").WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"openconnect never said \"Configured as\":\n{openconnect.Output}");
        }
        IReadOnlyList<int> handlers = openconnect.Children();
        // Logs out at the gateway on SIGINT, as it does when the daemon disconnects.
        await openconnect.StopAsync(TimeSpan.FromSeconds(15), Signals.SIGINT).ConfigureAwait(false);
        // Its packet handler (`cat`) normally ends with it; now and then it outlives it holding the socket. Ours: end it.
        foreach (int pid in handlers)
        {
            Signals.Send(pid, Signals.SIGTERM);
        }
        return Stopwatch.GetElapsedTime(started, configured).TotalMilliseconds;
    }
}
