using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace GpBench.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 that adds a round-trip time to every connection, for machines without kernel netem:
/// each chunk is delivered half the RTT after it was read, in order, and a new connection's first bytes towards the
/// server wait one more RTT, as a real TCP handshake would make the client wait before it could send them.
/// Bandwidth is not limited; only latency is what the connect benchmark needs.
/// <see cref="SilenceOpenConnections"/> makes the connections open at that moment drop everything from then on, as
/// a peer that vanished during a sleep does, while new connections pass.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly TimeSpan _rtt;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private long _accepted;
    private long _silencedBelow;

    private LatencyProxy(IPEndPoint target, TimeSpan rtt)
    {
        _target = target;
        _rtt = rtt;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(128);
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>host:port clients connect to instead of the target.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public TimeSpan Rtt => _rtt;

    /// <summary>
    /// Every connection open now passes nothing any more, in either direction, and is never closed towards the other
    /// side (not even its FIN goes through): to both ends it looks like a TCP connection whose peer went silent, which
    /// is what a TLS connection is after a laptop's sleep. Connections made afterwards work.
    /// </summary>
    public void SilenceOpenConnections() => Interlocked.Exchange(ref _silencedBelow, Interlocked.Read(ref _accepted));

    /// <param name="target">"127.0.0.1:PORT" of the real server.</param>
    public static LatencyProxy Start(string target, TimeSpan rtt) => new(IPEndPoint.Parse(target), rtt);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                long number = Interlocked.Increment(ref _accepted) - 1;
                _connections.Add(ServeAsync(client, Stopwatch.GetTimestamp(), () => number < Interlocked.Read(ref _silencedBelow), cancellationToken));
            }
        }
    }

    private async Task ServeAsync(Socket client, long accepted, Func<bool> silenced, CancellationToken cancellationToken)
    {
        using Socket clientSocket = client;
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        clientSocket.NoDelay = true;
        try
        {
            await server.ConnectAsync(_target, cancellationToken).ConfigureAwait(false);
            TimeSpan oneWay = _rtt / 2;
            long handshakeDone = accepted + (long)(_rtt.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(
                PumpAsync(clientSocket, server, oneWay, handshakeDone, silenced, cancellationToken),
                PumpAsync(server, clientSocket, oneWay, notBefore: 0, silenced, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The benchmark ends connections by closing either side; nothing to report.
        }
    }

    /// <summary>Reads from <paramref name="from"/> and writes each chunk to <paramref name="to"/> when it is due.</summary>
    private static async Task PumpAsync(Socket from, Socket to, TimeSpan oneWay, long notBefore, Func<bool> silenced, CancellationToken cancellationToken)
    {
        Channel<(long Due, byte[]? Data)> queue = Channel.CreateUnbounded<(long, byte[]?)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        long delay = (long)(oneWay.TotalSeconds * Stopwatch.Frequency);
        Task writer = WriteDueAsync(queue.Reader, to, cancellationToken);
        byte[] buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (silenced())
                {
                    if (n == 0)
                    {
                        break;
                    }
                    continue;
                }
                long due = Math.Max(Stopwatch.GetTimestamp(), notBefore) + delay;
                // null marks the end of the stream: the other side gets a FIN when it is due.
                queue.Writer.TryWrite((due, n == 0 ? null : buffer.AsSpan(0, n).ToArray()));
                if (n == 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            queue.Writer.TryWrite((Stopwatch.GetTimestamp() + delay, null));
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await writer.ConfigureAwait(false);
    }

    private static async Task WriteDueAsync(ChannelReader<(long Due, byte[]? Data)> queue, Socket to, CancellationToken cancellationToken)
    {
        await foreach ((long due, byte[]? data) in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                if (data is null)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
