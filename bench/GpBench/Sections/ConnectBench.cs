using System.Diagnostics;
using GpBench.Support;
using GpDaemon.TestSupport;

namespace GpBench.Sections;

/// <summary>
/// `gpctl connect` until Connected, against the fake portal, next to the real openconnect doing the same login and
/// tunnel on its own, on loopback and through a proxy that adds a round-trip time. Runs alternate, so that both see
/// the same machine.
/// </summary>
internal static class ConnectBench
{
    /// <summary>The round-trip times measured: loopback as it is, and a link through <see cref="LatencyProxy"/>.</summary>
    private static readonly TimeSpan[] RoundTrips = [TimeSpan.Zero, TimeSpan.FromMilliseconds(30)];

    /// <summary>The targets: the daemon path's median within this factor of openconnect alone at each round-trip time.</summary>
    private static double Target(TimeSpan rtt) => rtt == TimeSpan.Zero ? 1.5 : 1.25;

    public static async Task RunAsync(BenchContext context, Markdown report, Daemon daemon, FakePortal portal, CancellationToken cancellationToken)
    {
        int runs = context.Quick ? 2 : 9;
        var results = new List<(TimeSpan Rtt, Stats Daemon, Stats Alone, Stats TunnelStep, List<IReadOnlyList<double>> Phases)>();
        long connectedRss = 0;
        int connectedThreads = 0;
        foreach (TimeSpan rtt in RoundTrips)
        {
            BenchContext.Progress($"connect at {rtt.TotalMilliseconds:0} ms round-trip time");
            await using LatencyProxy? proxy = rtt == TimeSpan.Zero ? null : LatencyProxy.Start(portal.Address, rtt);
            string address = proxy?.Address ?? portal.Address;
            var viaDaemon = new List<double>();
            var phases = new List<IReadOnlyList<double>>();
            var alone = new List<double>();
            var tunnelStep = new List<double>();
            // Run -1 warms both paths up (page cache, the fake's first TLS handshake) and is not counted.
            for (int run = -1; run < runs; run++)
            {
                DateTime startedAt = DateTime.Now;
                double daemonMs = await ConnectViaDaemonAsync(context, daemon, address, cancellationToken).ConfigureAwait(false);
                if (run >= 0 && Phases(daemon.Output, startedAt, startedAt.AddMilliseconds(daemonMs)) is { } split)
                {
                    phases.Add(split);
                }
                if (run == runs - 1 && rtt == TimeSpan.Zero)
                {
                    connectedRss = ProcStat.Memory(daemon.Pid).RssKiB;
                    connectedThreads = ProcStat.Threads(daemon.Pid);
                }
                await DisconnectAsync(context, daemon, cancellationToken).ConfigureAwait(false);
                double aloneMs = await OpenConnectAloneAsync(context, address, portal.Pin, cancellationToken).ConfigureAwait(false);
                double tunnelStepMs = await OpenConnectWithCookieAsync(context, address, portal.Pin, cancellationToken).ConfigureAwait(false);
                if (run >= 0)
                {
                    viaDaemon.Add(daemonMs);
                    alone.Add(aloneMs);
                    tunnelStep.Add(tunnelStepMs);
                }
            }
            results.Add((rtt, Stats.FromMilliseconds(viaDaemon), Stats.FromMilliseconds(alone), Stats.FromMilliseconds(tunnelStep), phases));
        }

        report.Heading("Connect time against the fake portal");
        report.Line("`gpctl connect PORTAL --user test --passwd-on-stdin` from start to its exit on Connected (the daemon logs in to portal "
            + "and gateway itself, then starts openconnect with the cookie, `--script-tun`), next to "
            + "`openconnect --protocol=gp --passwd-on-stdin -u test --servercert PIN --script-tun --script 'exec cat <&$VPNFD >/dev/null' PORTAL` "
            + $"from start to its \"Configured as\" line, and openconnect's tunnel step alone: `openconnect --protocol=gp --cookie-on-stdin` (same options) "
            + "with a cookie that an untimed `openconnect --authenticate` got just before, the floor for any client that logs in first and then "
            + $"hands openconnect a cookie. {runs} runs each, alternating, after one warm-up run of each. "
            + "At 0 ms both talk to the fake directly on loopback; at 30 ms both go through bench/GpBench's latency proxy, which "
            + "delivers every chunk 15 ms after it was read in each direction and holds a new connection's first bytes to the server "
            + "one more round trip (the TCP handshake).").Line();
        report.Table(["round-trip time", "path", "min", "median", "max", "median vs openconnect alone"],
            results.SelectMany(r => new IReadOnlyList<string>[]
            {
                [Markdown.Ms(r.Rtt.TotalMilliseconds), "gpctl connect (daemon + openconnect)", Markdown.Ms(r.Daemon.MinMs), Markdown.Ms(r.Daemon.MedianMs), Markdown.Ms(r.Daemon.MaxMs), Markdown.Ratio(r.Daemon.MedianMs / r.Alone.MedianMs)],
                [Markdown.Ms(r.Rtt.TotalMilliseconds), "openconnect alone", Markdown.Ms(r.Alone.MinMs), Markdown.Ms(r.Alone.MedianMs), Markdown.Ms(r.Alone.MaxMs), "1.00x"],
                [Markdown.Ms(r.Rtt.TotalMilliseconds), "openconnect's tunnel step alone (a cookie from --authenticate)", Markdown.Ms(r.TunnelStep.MinMs), Markdown.Ms(r.TunnelStep.MedianMs), Markdown.Ms(r.TunnelStep.MaxMs), Markdown.Ratio(r.TunnelStep.MedianMs / r.Alone.MedianMs)],
            }));
        foreach (var r in results.Where(r => r.Phases.Count > 0))
        {
            report.Line().Line($"Where the daemon path's time goes at {Markdown.Ms(r.Rtt.TotalMilliseconds)} round-trip time (medians over {r.Phases.Count} runs; from the daemon's log, whose clock has millisecond steps):").Line();
            report.Table(["phase", "median"], PhaseNames.Select((name, i) => (IReadOnlyList<string>)[name, Markdown.Ms(Stats.FromMilliseconds(r.Phases.Select(p => p[i])).MedianMs)]));
        }
        report.Line().Line($"Daemon while connected: RSS {Markdown.MiB(connectedRss)}, {connectedThreads} threads (openconnect is a separate process).");
        foreach (var r in results)
        {
            double ratio = r.Daemon.MedianMs / r.Alone.MedianMs;
            context.Targets.Add(new TargetCheck($"connect within {Target(r.Rtt):0.0#}x of openconnect alone at {r.Rtt.TotalMilliseconds:0} ms RTT (median)",
                $"{Markdown.Ms(r.Daemon.MedianMs)} vs {Markdown.Ms(r.Alone.MedianMs)} = {Markdown.Ratio(ratio)}", ratio <= Target(r.Rtt)));
        }
        context.Targets.Add(new TargetCheck("(informational) daemon RSS while connected", Markdown.MiB(connectedRss), connectedRss < 30 * 1024));
    }

    private static readonly string[] PhaseNames =
    [
        "gpctl start until the daemon has the Connect call",
        "daemon: portal prelogin (with the connection's TCP and TLS handshakes)",
        "daemon: portal getconfig",
        "daemon: gateway login",
        "daemon: openconnect spawned with its cookie",
        "openconnect until \"Configured as\" reaches the daemon",
        "until the tunnel handler's report: Connected",
        "Connected until gpctl has exited",
        "(alongside openconnect, not added up) the daemon's HIP exchange, from the spawn until settled",
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
        TimeOnly? requested = At(" requested by uid "), signingIn = At(" INF Signing in to portal "), chosen = At(" INF Chose gateway "),
            loggedIn = At(" INF Logged in to "), spawned = At(" INF openconnect started with pid "), hip = At(" HIP report for gateway ") ?? spawned,
            configured = At("]: Configured as "), connected = At(" INF Connected to ");
        if (requested is null || signingIn is null || chosen is null || loggedIn is null || spawned is null || hip is null || configured is null || connected is null)
        {
            return null;
        }
        static double Ms(TimeOnly from, TimeOnly to) => (to - from).TotalMilliseconds;
        return
        [
            Ms(TimeOnly.FromDateTime(started), requested.Value), Ms(requested.Value, signingIn.Value), Ms(signingIn.Value, chosen.Value),
            Ms(chosen.Value, loggedIn.Value), Ms(loggedIn.Value, spawned.Value), Ms(spawned.Value, configured.Value),
            Ms(configured.Value, connected.Value), Ms(connected.Value, TimeOnly.FromDateTime(ended)), Ms(spawned.Value, hip.Value),
        ];
    }

    internal static async Task<double> ConnectViaDaemonAsync(BenchContext context, Daemon daemon, string address, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using Child gpctl = Child.Start(context.Gpctl,
            ["--socket", daemon.SocketPath, "connect", address, "--user", "test", "--passwd-on-stdin"], stdin: "secret\n");
        int exit = await gpctl.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (exit != 0)
        {
            throw new InvalidOperationException($"gpctl connect exited {exit}:\n{gpctl.Output}\n--- gpdaemon:\n{daemon.Output}");
        }
        return ms;
    }

    internal static async Task DisconnectAsync(BenchContext context, Daemon daemon, CancellationToken cancellationToken)
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

    private static Task<double> OpenConnectAloneAsync(BenchContext context, string address, string pin, CancellationToken cancellationToken) =>
        UntilConfiguredAsync(context, ["--protocol=gp", "--passwd-on-stdin", "-u", "test", "--servercert", pin, address], "secret\n", cancellationToken);

    /// <summary>
    /// openconnect's tunnel step alone: started with a cookie from an `openconnect --authenticate` run just before
    /// (not timed), until "Configured as". No client can connect faster than this with someone else's login.
    /// </summary>
    private static async Task<double> OpenConnectWithCookieAsync(BenchContext context, string address, string pin, CancellationToken cancellationToken)
    {
        await using Child login = Child.Start(context.OpenConnect,
            ["--protocol=gp", "--authenticate", "--passwd-on-stdin", "-u", "test", "--servercert", pin, address], stdin: "secret\n");
        const string Prefix = "COOKIE='";
        await login.WhenLineAsync(Prefix).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        await login.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        string cookie = login.Output.Split('\n').FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal)) is { } line
            ? line[Prefix.Length..].TrimEnd('\'')
            : throw new InvalidOperationException($"openconnect --authenticate printed no cookie:\n{login.Output}");
        return await UntilConfiguredAsync(context, ["--protocol=gp", "--cookie-on-stdin", "--servercert", pin, address], cookie + "\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs openconnect with <paramref name="arguments"/> and a `cat` packet handler, timed from its start to its "Configured as" line.</summary>
    private static async Task<double> UntilConfiguredAsync(BenchContext context, IEnumerable<string> arguments, string stdin, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using Child openconnect = Child.Start(context.OpenConnect,
            [.. arguments.SkipLast(1), "--script-tun", "--script", "exec cat <&$VPNFD >/dev/null", arguments.Last()], stdin: stdin);
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
