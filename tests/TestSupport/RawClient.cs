using System.Net.Sockets;
using System.Text;

namespace GpDaemon.TestSupport;

/// <summary>A client that speaks bytes, not varlink: for feeding the daemon garbage and reading what comes back.</summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public static async Task<RawClient> ConnectAsync(string path)
    {
        var client = new RawClient();
        await client._socket.ConnectAsync(new UnixDomainSocketEndPoint(path), Deadline.Token());
        return client;
    }

    public async Task SendAsync(byte[] data)
    {
        try
        {
            await _socket.SendAsync(data, SocketFlags.None, Deadline.Token());
        }
        catch (SocketException)
        {
            // The daemon may close the connection before reading everything: that is one of the allowed answers.
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next NUL-terminated message, or null when the daemon closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var message = new List<byte>();
        byte[] one = new byte[1];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(one, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return null; // reset by the daemon: closed
            }
            if (n == 0)
            {
                return message.Count == 0 ? null : throw new IOException("connection closed mid-message");
            }
            if (one[0] == 0)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
            message.Add(one[0]);
        }
    }

    public void Dispose() => _socket.Dispose();
}
