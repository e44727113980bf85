using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace GpDaemon.TestSupport;

/// <summary>A NOTIFY_SOCKET for a daemon under test: records every sd_notify datagram with the time it arrived.</summary>
public sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly Channel<(DateTime At, string Message)> _messages = Channel.CreateUnbounded<(DateTime, string)>();
    private readonly CancellationTokenSource _stop = new();

    public NotifyListener(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _ = ReceiveLoopAsync();
    }

    public string Path { get; }

    /// <summary>The next datagram (one may hold several KEY=VALUE lines).</summary>
    public async Task<(DateTime At, string Message)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Skips datagrams until one contains the line; returns it.</summary>
    public async Task<(DateTime At, string Message)> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            (DateTime at, string message) = await NextAsync(deadline - DateTime.UtcNow);
            if (message.Split('\n').Any(match))
            {
                return (at, message);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[65536];
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Writer.TryWrite((DateTime.UtcNow, Encoding.UTF8.GetString(buffer, 0, n)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
