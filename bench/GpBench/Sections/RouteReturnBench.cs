using System.Diagnostics;
using GpBench.Support;
using GpDaemon.TestSupport;

namespace GpBench.Sections;

/// <summary>
/// The default route gone and back: the fake in one network namespace, the client (gpdaemon, or openconnect alone) in
/// another, joined by a veth pair; the fake listens on an address outside the link's subnet, so only the default
/// route reaches it. Timed from the route's return until the fake sees the client again and the daemon says
/// Connected.
/// </summary>
internal static class RouteReturnBench
{
    private const string GatewaySide = "192.168.231.1";
    private const string ClientSide = "192.168.231.2";
    private const string PortalAddress = "10.231.1.1";

    /// <summary>How long the route stays away: three dead-peer intervals, so that openconnect alone has given the tunnel up for dead.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3 * Recovery.DeadPeerSeconds);

    /// <summary>The client is back: a new tunnel, or a keepalive through the old one (TCP resumed it).</summary>
    private static readonly string[] Back = ["tunnel-connect", "keepalive"];

    public static async Task RunAsync(BenchContext context, Markdown report, CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root")
        {
            Skip(report, "needs root for network namespaces (ip netns)");
            return;
        }
        int runs = context.Quick ? 1 : 3;
        NetworkNamespace gateway, client;
        try
        {
            gateway = await NetworkNamespace.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Skip(report, "cannot make network namespaces here: " + ex.Message.ReplaceLineEndings(" "));
            return;
        }
        using (gateway)
        using (client = await NetworkNamespace.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            // Deleting the namespaces deletes the veth pair with them.
            await gateway.IpAsync(cancellationToken, "link", "add", "gw0", "type", "veth", "peer", "name", "cl0", "netns", client.Name).ConfigureAwait(false);
            await gateway.IpAsync(cancellationToken, "address", "add", GatewaySide + "/24", "dev", "gw0").ConfigureAwait(false);
            await gateway.IpAsync(cancellationToken, "address", "add", PortalAddress + "/32", "dev", "lo").ConfigureAwait(false);
            await gateway.IpAsync(cancellationToken, "link", "set", "gw0", "up").ConfigureAwait(false);
            await client.IpAsync(cancellationToken, "address", "add", ClientSide + "/24", "dev", "cl0").ConfigureAwait(false);
            await client.IpAsync(cancellationToken, "link", "set", "cl0", "up").ConfigureAwait(false);
            await client.IpAsync(cancellationToken, "route", "add", "default", "via", GatewaySide).ConfigureAwait(false);

            // nsenter joins the namespace and execs the program with the arguments it was given: same pid, same pipes.
            string[] inClient = ["nsenter", $"--net=/run/netns/{client.Name}"];
            await using FakePortal portal = await FakePortal.StartAsync(context.FakePortal, "password", [], cancellationToken,
                listen: PortalAddress + ":0", launcher: ["nsenter", $"--net=/run/netns/{gateway.Name}"]).ConfigureAwait(false);
            string config = $"""
                servercert = "{portal.Pin}"

                [openconnect]
                path = "{context.OpenConnect}"
                script_tun = true
                dpd = {Recovery.DeadPeerSeconds}
                """;
            await using Daemon daemon = await Daemon.StartAsync(Launcher(context, inClient, context.Gpdaemon), context.Scratch("route"), config,
                cancellationToken).ConfigureAwait(false);

            var seen = new List<double>();
            var connected = new List<double>();
            var alone = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                BenchContext.Progress($"route return {run + 1}/{runs}: gpdaemon");
                await ConnectBench.ConnectViaDaemonAsync(context, daemon, portal.Address, cancellationToken).ConfigureAwait(false);
                await client.IpAsync(cancellationToken, "route", "del", "default").ConfigureAwait(false);
                await Task.Delay(Outage, cancellationToken).ConfigureAwait(false);
                int before = Recovery.Count(portal, Back);
                long back = Stopwatch.GetTimestamp();
                await client.IpAsync(cancellationToken, "route", "add", "default", "via", GatewaySide).ConfigureAwait(false);
                Task<long> again = Recovery.SeenAsync(portal, Back, before, cancellationToken);
                long up = await Recovery.ConnectedAfterAsync(daemon, again, cancellationToken).ConfigureAwait(false);
                seen.Add(Stopwatch.GetElapsedTime(back, await again.ConfigureAwait(false)).TotalMilliseconds);
                connected.Add(Stopwatch.GetElapsedTime(back, up).TotalMilliseconds);
                await ConnectBench.DisconnectAsync(context, daemon, cancellationToken).ConfigureAwait(false);

                BenchContext.Progress($"route return {run + 1}/{runs}: openconnect alone");
                Child openconnect = await Recovery.OpenConnectAloneAsync(context, portal.Address, portal.Pin, inClient,
                    cancellationToken).ConfigureAwait(false);
                try
                {
                    await client.IpAsync(cancellationToken, "route", "del", "default").ConfigureAwait(false);
                    await Task.Delay(Outage, cancellationToken).ConfigureAwait(false);
                    before = Recovery.Count(portal, Back);
                    back = Stopwatch.GetTimestamp();
                    await client.IpAsync(cancellationToken, "route", "add", "default", "via", GatewaySide).ConfigureAwait(false);
                    alone.Add(Stopwatch.GetElapsedTime(back, await Recovery.SeenAsync(portal, Back, before, cancellationToken).ConfigureAwait(false)).TotalMilliseconds);
                }
                finally
                {
                    await Recovery.StopAsync(openconnect).ConfigureAwait(false);
                }
            }

            Stats daemonSeen = Stats.FromMilliseconds(seen), daemonConnected = Stats.FromMilliseconds(connected), aloneStats = Stats.FromMilliseconds(alone);
            report.Heading("Recovery when the default route comes back");
            report.Line("What is simulated: the network goes away and comes back. The fake runs in a network namespace of its own, the client "
                + "(gpdaemon with its openconnect, or openconnect alone) in another, joined by a veth pair; the fake listens on an address "
                + "outside the pair's subnet, so only the client's default route reaches it. With the client connected, the default route is "
                + $"deleted, stays away {Outage.TotalSeconds:0} s (three dead-peer intervals: openconnect alone has given the tunnel up and is "
                + "retrying by then), and is added again; the clock starts just before it is added. \"Seen again\" is the fake's first sign "
                + "of the client after that: a new tunnel, or a keepalive through the old one (TCP resumed it). Dead-peer interval "
                + $"{Recovery.DeadPeerSeconds} s for both (`[openconnect] dpd`, `--force-dpd`). {runs} runs of each, alternating; the fake's "
                + "events are polled every 5 ms, the route is added with `ip` (a few ms of the measured time).").Line();
            Recovery.Table(report, "the fake gateway sees it again", daemonSeen, daemonConnected, aloneStats);
            context.Targets.Add(new TargetCheck("default route back to Connected within 2 s (median)",
                $"{Markdown.Ms(daemonConnected.MedianMs)}; openconnect alone {Markdown.Ms(aloneStats.MedianMs)} = {Recovery.Ratio(daemonConnected.MedianMs / aloneStats.MedianMs)}",
                daemonConnected.MedianMs <= 2000));
        }
    }

    /// <summary>A script that execs gpdaemon with its arguments through <paramref name="launcher"/>: Daemon starts a path.</summary>
    private static string Launcher(BenchContext context, string[] launcher, string program)
    {
        string path = Path.Combine(context.Scratch("route"), "gpdaemon-in-namespace");
        File.WriteAllText(path, $"#!/bin/sh\nexec {string.Join(' ', launcher)} {program} \"$@\"\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ed /* 0755 */);
        return path;
    }

    private static void Skip(Markdown report, string why)
    {
        BenchContext.Progress($"route return: skipped: {why}");
        report.Heading("Recovery when the default route comes back");
        report.Line($"Skipped: {why}.");
    }
}
