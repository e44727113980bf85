using System.Net.Sockets;
using System.Text;
using GpControl;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.ControlSocket;

/// <summary>
/// Hostile local clients against a real gpdaemon for a bounded time: fuzzed and mutated varlink messages, truncated and
/// oversized frames, slow readers that never read a Watch stream while the state changes thousands of times, and a
/// flood of connections that never send anything. Throughout, a normal client gets correct GetStatus answers; the
/// daemon stays up, and its open files and memory are bounded afterwards.
/// </summary>
public sealed class ControlSocketSoakTests(ITestOutputHelper output)
{
    private const int MaxMessageBytes = 64 * 1024;
    private const int MaxConnections = 48;
    private const int RootReserve = 8;
    private const int MaxWaiting = 1024;
    private const int FuzzWorkers = 3;
    private const int SlowReaders = 16;
    private const int HalfOpenConnections = 2000;

    /// <summary>Enough state changes to overflow any slow reader's socket buffer and queue many times over.</summary>
    private const int StateChanges = 1500;

    /// <summary>The default seed; GPD_FUZZ_SEED replays another (each worker uses seed + its index).</summary>
    private const int DefaultSeed = 20261129;

    private static readonly TimeSpan FuzzFor = TimeSpan.FromSeconds(12);

    /// <summary>Only detects a hang: a daemon that neither answers nor closes a connection.</summary>
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(20);

    private static readonly string Config = $"""
        # A Connect without a portal goes nowhere but a closed local port.
        portal = "{VarlinkFuzzer.SafePortal}"
        user = "fuzz"
        log_level = "info"

        [client]
        request_timeout = 2

        [control]
        max_connections = {MaxConnections}
        max_message_bytes = {MaxMessageBytes}
        idle_timeout = 1
        write_timeout = 2
        """;

    [Fact]
    public async Task HostileLocalClients_NeverStopTheDaemonServingOthers_AndItsFilesAndMemoryStayBounded()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("GPD_FUZZ_SEED"), out int s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set GPD_FUZZ_SEED to replay another)");
        using var dir = new TempDirectory("gpd-soak");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, Config);
        int pid = daemon.Pid;
        int socketsAtRest = ProcInfo.OpenSockets(pid); // the listener and the daemon's own (notify, journal)
        var stats = new FuzzStats();

        await using var prober = new StatusProber(daemon.SocketPath, pid);
        prober.Start();

        // Warm-up: every code path once (JIT, pools), then the memory baseline.
        await FuzzAsync(daemon, new VarlinkFuzzer(seed - 1, MaxMessageBytes), DateTime.UtcNow.AddSeconds(2), stats);
        await ChurnAsync(daemon.SocketPath, () => false, DateTime.UtcNow.AddSeconds(1));
        long rssWarm = ProcInfo.RssKiB(pid);

        // Phase 1: fuzzing, slow readers, a reader that keeps up, and the state changing as fast as it can.
        List<Socket> slow = await StartSlowReadersAsync(daemon.SocketPath);
        await using var watcher = new Watcher(daemon.SocketPath);
        await watcher.StartedAsync();
        DateTime fuzzUntil = DateTime.UtcNow + FuzzFor;
        Task[] fuzzers = [.. Enumerable.Range(0, FuzzWorkers).Select(i => FuzzAsync(daemon, new VarlinkFuzzer(seed + i, MaxMessageBytes), fuzzUntil, stats))];
        int cycles = await ChurnAsync(daemon.SocketPath, () => watcher.Seen >= StateChanges || !watcher.StillRunning, DateTime.UtcNow.AddSeconds(60));
        await Task.WhenAll(fuzzers);
        output.WriteLine($"fuzzing: {stats.Summary()}");
        output.WriteLine($"state churn: {cycles} connect attempts, {watcher.Seen} changes seen by a reader that keeps up");
        Assert.True(stats.Violations.Count == 0, $"seed {seed}: {stats.Violations.Count} contract violations, first ones:\n" + string.Join("\n", stats.Violations.Take(15)));
        Assert.True(stats.Cases >= 500, $"only {stats.Cases} fuzz cases ran: {stats.Summary()}");
        Assert.True(watcher.StillRunning, "a Watch client that reads its replies was cut off: " + watcher.Failure);
        Assert.True(watcher.Seen >= StateChanges, $"the state changed only {watcher.Seen} times");

        // The slow readers were cut off (their replies are queued up to a bound, then the connection goes) ...
        int[] unread = await Task.WhenAll(slow.Select(DrainUntilClosedAsync));
        Assert.All(unread, bytes => Assert.True(bytes >= 0, "a client that never read its Watch stream was never closed"));
        output.WriteLine($"slow readers: closed after {unread.Min()}..{unread.Max()} bytes of queued replies");
        // ... while the reader that keeps up still is not.
        Assert.True(watcher.StillRunning, "a Watch client that reads its replies was cut off: " + watcher.Failure);

        // Phase 2: thousands of connections that never send a byte.
        (int held, int refused, int peakSockets) = await HalfOpenFloodAsync(daemon, socketsAtRest);
        output.WriteLine($"half-open flood: {held} connected, {refused} refused at connect; daemon peak {peakSockets} open sockets (at rest {socketsAtRest})");
        Assert.True(held >= HalfOpenConnections / 2, $"only {held} of {HalfOpenConnections} connections could be made");
        // Connections are bounded: never more sockets than max_connections, root's reserve and the connections waiting for
        // a slot allow (plus one being refused, and slack). The test runs as root.
        Assert.True(peakSockets <= socketsAtRest + MaxConnections + RootReserve + MaxWaiting + 4,
            $"{peakSockets} open sockets with max_connections = {MaxConnections} (at rest {socketsAtRest})");

        // Throughout, everyone else was served.
        await watcher.StopAsync();
        await prober.StopAsync();
        output.WriteLine($"normal client: {prober.Answered} correct answers, {prober.Retried} retries");
        Assert.True(prober.Problems.Count == 0, string.Join("\n", prober.Problems));
        Assert.True(prober.Answered >= 20, $"only {prober.Answered} status probes ran");
        Assert.False(daemon.HasExited, "gpdaemon died:\n" + Tail(daemon.Output));
        Assert.Null(await prober.ProbeAsync());

        // Afterwards nothing is left behind: every connection is closed, and memory is bounded.
        int socketsAfter = await WaitForSocketsAsync(pid, socketsAtRest);
        long rssAfter = ProcInfo.RssKiB(pid);
        output.WriteLine($"daemon RSS {rssWarm} KiB after warm-up, {rssAfter} KiB after the run; open sockets {socketsAtRest} -> {socketsAfter}");
        Assert.True(socketsAfter <= socketsAtRest, $"{socketsAfter} open sockets after the run, {socketsAtRest} before: connections leak");
        Assert.True(rssAfter < 3 * rssWarm + 64 * 1024, $"RSS grew from {rssWarm} KiB to {rssAfter} KiB");
        Assert.DoesNotContain("Unhandled exception", daemon.Output, StringComparison.OrdinalIgnoreCase);
    }

    private async Task FuzzAsync(DaemonProcess daemon, VarlinkFuzzer fuzzer, DateTime until, FuzzStats stats)
    {
        await Task.Yield();
        for (int n = 0; DateTime.UtcNow < until; n++)
        {
            FuzzCase fuzzCase = fuzzer.Next();
            if (!FuzzOracle.IsSafe(fuzzCase, MaxMessageBytes))
            {
                stats.Skip();
                continue;
            }
            (Expectation expect, string why) = FuzzOracle.Predict(fuzzCase, MaxMessageBytes, stats.Note);
            FuzzOutcome outcome;
            try
            {
                outcome = await FuzzExchange.RunAsync(daemon.SocketPath, fuzzCase, HangAfter);
            }
            catch (SocketException)
            {
                stats.TurnAway();
                await Task.Delay(10);
                continue;
            }
            stats.Count(fuzzCase.Kind);
            string? violation = outcome switch
            {
                { TimedOut: true } => $"neither a reply nor a close within {HangAfter.TotalSeconds} s",
                { ClosedMidReply: true } => "closed in the middle of a reply",
                { Reply: not null } when expect == Expectation.Close => "answered input it must refuse: " + Encoding.UTF8.GetString(outcome.Reply),
                { Closed: true } when expect == Expectation.Reply => "closed the connection on a well-formed call",
                { Reply: { } reply } => FuzzOracle.CheckReply(reply, daemon.Pid),
                _ => null,
            };
            if (violation is not null)
            {
                stats.Violation($"seed {fuzzer.Seed} case #{n}: {fuzzCase}\n    expected {expect} ({why}); got {outcome}: {violation}");
            }
        }
    }

    /// <summary>Connect attempts to the closed port, each Authenticating then Failed, until <paramref name="enough"/>; returns how many.</summary>
    private static async Task<int> ChurnAsync(string socketPath, Func<bool> enough, DateTime giveUp)
    {
        int cycles = 0;
        while (!enough() && DateTime.UtcNow < giveUp)
        {
            cycles++;
            try
            {
                using var bound = new CancellationTokenSource(HangAfter);
                await using VpnClient client = await VpnClient.ConnectAsync(socketPath, bound.Token);
                await foreach (VpnStatus _ in client.ConnectAsync(new ConnectParameters(VarlinkFuzzer.SafePortal, "churn"), follow: true, bound.Token))
                {
                }
            }
            catch (Exception ex) when (ex is VarlinkErrorException or IOException or DaemonUnreachableException or SocketException)
            {
                // Failed (the point), AlreadyConnected (a fuzzed Connect got there first), or turned away.
            }
        }
        return cycles;
    }

    private static async Task<List<Socket>> StartSlowReadersAsync(string socketPath)
    {
        var sockets = new List<Socket>();
        for (int i = 0; i < SlowReaders; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), Deadline.Token());
            await socket.SendAsync("{\"method\":\"io.gpdaemon.Vpn.Watch\",\"more\":true}\0"u8.ToArray(), SocketFlags.None, Deadline.Token());
            sockets.Add(socket);
        }
        return sockets;
    }

    /// <summary>Reads what was queued for a client that never read; the byte count, or -1 if the daemon never closed it.</summary>
    private static async Task<int> DrainUntilClosedAsync(Socket socket)
    {
        using Socket _ = socket;
        using var bound = new CancellationTokenSource(HangAfter);
        byte[] buffer = new byte[64 * 1024];
        int total = 0;
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
                if (n == 0)
                {
                    return total;
                }
                total += n;
            }
        }
        catch (SocketException)
        {
            return total;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Opens <see cref="HalfOpenConnections"/> connections that never send, holds them, and checks that the daemon
    /// closes every one (at once beyond max_connections, after the idle timeout otherwise).
    /// </summary>
    private static async Task<(int Held, int Refused, int PeakFiles)> HalfOpenFloodAsync(DaemonProcess daemon, int socketsAtRest)
    {
        var held = new List<Socket>();
        int refused = 0;
        int peak = socketsAtRest;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcInfo.OpenSockets(daemon.Pid));
                await Task.Delay(5);
            }
        });
        try
        {
            var endPoint = new UnixDomainSocketEndPoint(daemon.SocketPath);
            for (int i = 0; i < HalfOpenConnections; i++)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, Deadline.Token());
                    held.Add(socket);
                }
                catch (SocketException)
                {
                    // The listen backlog is full for a moment: that is the kernel bounding us too.
                    socket.Dispose();
                    refused++;
                    await Task.Delay(2);
                }
            }
            int[] closed = await Task.WhenAll(held.Select(WaitForCloseAsync));
            Assert.True(closed.All(c => c == 1), $"{closed.Count(c => c == 0)} silent connections were never closed, {closed.Count(c => c == 2)} got data");
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
            foreach (Socket socket in held)
            {
                socket.Dispose();
            }
        }
        return (held.Count, refused, peak);
    }

    /// <summary>1 when the daemon closed a silent connection, 0 when it never did, 2 when it sent something.</summary>
    private static async Task<int> WaitForCloseAsync(Socket socket)
    {
        using var bound = new CancellationTokenSource(HangAfter);
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, bound.Token) == 0 ? 1 : 2;
        }
        catch (SocketException)
        {
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<int> WaitForSocketsAsync(int pid, int atMost)
    {
        DateTime giveUp = DateTime.UtcNow + HangAfter;
        int files = ProcInfo.OpenSockets(pid);
        while (files > atMost && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(100);
            files = ProcInfo.OpenSockets(pid);
        }
        return files;
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>A Watch client that reads every reply as it comes.</summary>
    private sealed class Watcher(string socketPath) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _loop = Task.CompletedTask;
        private int _seen;

        public int Seen => Volatile.Read(ref _seen);

        public bool StillRunning => !_loop.IsCompleted;

        public string Failure => _loop.Exception?.GetBaseException().ToString() ?? "it ended";

        public async Task StartedAsync()
        {
            _loop = Task.Run(async () =>
            {
                await using VpnClient client = await VpnClient.ConnectAsync(socketPath, _stop.Token);
                await foreach (VpnStatus _ in client.WatchAsync(_stop.Token))
                {
                    Interlocked.Increment(ref _seen);
                    _first.TrySetResult();
                }
            });
            await _first.Task.WaitAsync(HangAfter);
        }

        public async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await StopAsync();
            }
            catch (IOException)
            {
                // Cut off: the test has already said so.
            }
            _stop.Dispose();
        }
    }
}
