using System.Net.Sockets;
using System.Text;
using GpControl.Varlink;

namespace GpDaemon.Tests.Support;

/// <summary>A client that sends whatever bytes a test wants and reads replies, or notices the server closing on it.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly VarlinkConnection _connection;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _connection = new VarlinkConnection(new NetworkStream(socket, ownsSocket: false), 1024 * 1024);
    }

    public static async Task<RawClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), Wait.Token());
        return new RawClient(socket);
    }

    /// <summary>Sends a call (a NUL is appended).</summary>
    public Task SendAsync(string json) => SendRawAsync(Encoding.UTF8.GetBytes(json + "\0"));

    /// <summary>Sends bytes as they are. A server that already hung up may make this fail; that is not an error here.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, Wait.Token());
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
        }
    }

    /// <summary>The next reply, or null when the server closed the connection.</summary>
    public async Task<VarlinkReply?> ReadAsync()
    {
        try
        {
            ReadOnlyMemory<byte>? message = await _connection.ReadMessageAsync(Wait.Token());
            return message is null ? null : VarlinkReply.Parse(message.Value);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return null; // closed with our unread input still queued: the kernel resets instead of a clean end
        }
    }

    public async Task<VarlinkReply> CallAsync(string json)
    {
        await SendAsync(json);
        return await ReadAsync() ?? throw new IOException("the server closed the connection");
    }

    /// <summary>Waits for the server to close the connection; a reply instead fails the test.</summary>
    public async Task AssertClosedAsync()
    {
        VarlinkReply? reply = await ReadAsync();
        Assert.True(reply is null, $"expected the server to close the connection, got a reply: {reply}");
    }

    /// <summary>Hangs up.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _socket.Dispose();
    }
}
