using System.Net.Sockets;
using System.Text;
using GpControl.Varlink;

namespace GpDaemon.TestSupport;

/// <summary>
/// A client that speaks bytes, not a client library: for feeding a server garbage or pipelined calls, reading what
/// comes back, and noticing it close the connection.
/// </summary>
public sealed class RawClient : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public static async Task<RawClient> ConnectAsync(string path)
    {
        var client = new RawClient();
        try
        {
            await client._socket.ConnectAsync(new UnixDomainSocketEndPoint(path), Deadline.Token());
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    /// <summary>Sends a call (a NUL is appended).</summary>
    public Task SendAsync(string call) => SendRawAsync(Encoding.UTF8.GetBytes(call + "\0"));

    /// <summary>Sends bytes as they are. A server that already hung up may make this fail; that is one of the allowed answers.</summary>
    public async Task SendRawAsync(byte[] data)
    {
        try
        {
            await _socket.SendAsync(data, SocketFlags.None, Deadline.Token());
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>The next NUL-terminated message as text, or null when the server closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null) =>
        await ReceiveMessageAsync(timeout) is byte[] message ? Encoding.UTF8.GetString(message) : null;

    /// <summary>The next reply, or null when the server closed the connection.</summary>
    public async Task<VarlinkReply?> ReadAsync(TimeSpan? timeout = null) =>
        await ReceiveMessageAsync(timeout) is byte[] message ? VarlinkReply.Parse(message) : null;

    public async Task<VarlinkReply> CallAsync(string call)
    {
        await SendAsync(call);
        return await ReadAsync() ?? throw new IOException("the server closed the connection");
    }

    /// <summary>Waits for the server to close the connection; a reply instead fails.</summary>
    public async Task AssertClosedAsync()
    {
        if (await ReceiveAsync() is string reply)
        {
            throw new InvalidOperationException($"expected the server to close the connection, got a reply: {reply}");
        }
    }

    private async Task<byte[]?> ReceiveMessageAsync(TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
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
                return null; // reset by the server (it closed with our unread input still queued): closed
            }
            if (n == 0)
            {
                return message.Count == 0 ? null : throw new IOException("connection closed mid-message");
            }
            if (one[0] == 0)
            {
                return [.. message];
            }
            message.Add(one[0]);
        }
    }

    public void Dispose() => _socket.Dispose();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
