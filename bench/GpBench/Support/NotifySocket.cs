using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace GpBench.Support;

/// <summary>A stand-in for systemd's notification socket: receives the daemon's sd_notify datagrams.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;

    public NotifySocket(string path)
    {
        Path = path;
        File.Delete(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>Waits for a datagram with the line <paramref name="line"/> (e.g. READY=1); returns when it arrived (Stopwatch timestamp).</summary>
    public async Task<long> WaitForAsync(string line, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            long arrived = Stopwatch.GetTimestamp();
            string message = Encoding.UTF8.GetString(buffer, 0, n);
            if (message.Split('\n').Contains(line, StringComparer.Ordinal))
            {
                return arrived;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
