using System.Diagnostics;
using GpBench.Support;
using GpDaemon.TestSupport;

namespace GpBench.Sections;

/// <summary>
/// Resume from sleep: the tunnel's TLS connection is silently dead (the latency proxy stops passing anything on the
/// connections open at that moment, new ones work), and logind's PrepareForSleep(false) arrives on the system bus (a
/// private dbus-daemon and a stand-in login manager). Timed from that instant until the fake gateway sees a new
/// tunnel and the daemon says Connected, next to openconnect alone, which does not listen to logind and has only its
/// dead-peer detection, with the same interval.
/// </summary>
internal static class ResumeBench
{
    private static readonly string[] NewTunnel = ["tunnel-connect"];

    public static async Task RunAsync(BenchContext context, Markdown report, FakePortal portal, CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/dbus-daemon"))
        {
            Skip(report, "dbus-daemon is not installed (Debian: dbus)");
            return;
        }
        int runs = context.Quick ? 1 : 5;
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(cancellationToken).ConfigureAwait(false);
        using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, cancellationToken).ConfigureAwait(false);
        await using LatencyProxy proxy = LatencyProxy.Start(portal.Address, TimeSpan.Zero);
        string config = $"""
            servercert = "{portal.Pin}"

            [openconnect]
            path = "{context.OpenConnect}"
            script_tun = true
            dpd = {Recovery.DeadPeerSeconds}
            """;
        await using Daemon daemon = await Daemon.StartAsync(context.Gpdaemon, context.Scratch("resume"), config, cancellationToken,
            new Dictionary<string, string?> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address }).ConfigureAwait(false);

        var tunnel = new List<double>();
        var connected = new List<double>();
        var alone = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            BenchContext.Progress($"resume {run + 1}/{runs}: gpdaemon");
            await ConnectBench.ConnectViaDaemonAsync(context, daemon, proxy.Address, cancellationToken).ConfigureAwait(false);
            int before = Recovery.Count(portal, NewTunnel);
            await logind.PrepareForSleepAsync(true, cancellationToken).ConfigureAwait(false);
            proxy.SilenceOpenConnections();
            long resumed = Stopwatch.GetTimestamp();
            await logind.PrepareForSleepAsync(false, cancellationToken).ConfigureAwait(false);
            Task<long> newTunnel = Recovery.SeenAsync(portal, NewTunnel, before, cancellationToken);
            long up = await Recovery.ConnectedAfterAsync(daemon, newTunnel, cancellationToken).ConfigureAwait(false);
            tunnel.Add(Stopwatch.GetElapsedTime(resumed, await newTunnel.ConfigureAwait(false)).TotalMilliseconds);
            connected.Add(Stopwatch.GetElapsedTime(resumed, up).TotalMilliseconds);
            await ConnectBench.DisconnectAsync(context, daemon, cancellationToken).ConfigureAwait(false);

            BenchContext.Progress($"resume {run + 1}/{runs}: openconnect alone");
            Child openconnect = await Recovery.OpenConnectAloneAsync(context, proxy.Address, portal.Pin, [], cancellationToken).ConfigureAwait(false);
            try
            {
                before = Recovery.Count(portal, NewTunnel);
                proxy.SilenceOpenConnections();
                resumed = Stopwatch.GetTimestamp();
                alone.Add(Stopwatch.GetElapsedTime(resumed, await Recovery.SeenAsync(portal, NewTunnel, before, cancellationToken).ConfigureAwait(false)).TotalMilliseconds);
            }
            finally
            {
                await Recovery.StopAsync(openconnect).ConfigureAwait(false);
            }
        }

        Stats daemonTunnel = Stats.FromMilliseconds(tunnel), daemonConnected = Stats.FromMilliseconds(connected), aloneStats = Stats.FromMilliseconds(alone);
        report.Heading("Recovery after a resume from sleep");
        report.Line("What is simulated: the laptop slept long enough for the gateway to forget the tunnel's TCP connection. Both clients "
            + "reach the fake through bench/GpBench's proxy (loopback, no added delay); at the resume the proxy stops passing anything "
            + "on every connection open at that moment, in both directions, without closing it (no FIN, no RST), while new connections "
            + "work: to the client the old TLS connection is alive and silent. For gpdaemon, a stand-in login manager on a private "
            + "dbus-daemon (owning org.freedesktop.login1, as logind does) emits PrepareForSleep(true), the proxy goes silent, then "
            + "PrepareForSleep(false); the clock starts just before that signal. openconnect alone does not listen to logind: its clock "
            + "starts when the proxy goes silent, and only its dead-peer detection can notice. Both run with a dead-peer interval of "
            + $"{Recovery.DeadPeerSeconds} s (`[openconnect] dpd = {Recovery.DeadPeerSeconds}`, `--force-dpd={Recovery.DeadPeerSeconds}`; "
            + $"the daemon's default is 30 s). {runs} runs of each, alternating. The fake's events are polled every 5 ms.").Line();
        Recovery.Table(report, "the fake gateway's new tunnel", daemonTunnel, daemonConnected, aloneStats);
        context.Targets.Add(new TargetCheck("(informational) resume signal to Connected, vs openconnect alone's dead-peer recovery (median)",
            $"{Markdown.Ms(daemonConnected.MedianMs)} vs {Markdown.Ms(aloneStats.MedianMs)} = {Recovery.Ratio(daemonConnected.MedianMs / aloneStats.MedianMs)}",
            daemonConnected.MedianMs < aloneStats.MedianMs));
    }

    private static void Skip(Markdown report, string why)
    {
        BenchContext.Progress($"resume: skipped: {why}");
        report.Heading("Recovery after a resume from sleep");
        report.Line($"Skipped: {why}.");
    }
}
