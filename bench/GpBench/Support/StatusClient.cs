using System.Net.Sockets;

namespace GpBench.Support;

/// <summary>The smallest GetStatus client: one pre-encoded request, the reply read up to its NUL. No JSON parsing on our side.</summary>
internal sealed class StatusClient : IAsyncDisposable
{
    private static readonly byte[] Request = "{\"method\":\"io.gpdaemon.Vpn.GetStatus\"}\0"u8.ToArray();
    private static readonly byte[] ReplyStart = "{\"parameters\":{\"status\":"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private StatusClient(Socket socket)
    {
        _socket = socket;
    }

    public static byte[] RequestBytes => Request;

    public static async Task<StatusClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new StatusClient(socket);
    }

    /// <summary>One GetStatus call; returns the reply (without its NUL). Throws when the reply is not a status.</summary>
    public async Task<ReadOnlyMemory<byte>> CallAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(Request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        int filled = 0;
        while (true)
        {
            int n = await _socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("the daemon closed the connection");
            }
            int end = Array.IndexOf(_buffer, (byte)0, filled, n);
            filled += n;
            if (end >= 0)
            {
                ReadOnlyMemory<byte> reply = _buffer.AsMemory(0, end);
                if (!reply.Span.StartsWith(ReplyStart))
                {
                    throw new InvalidDataException("not a status reply: " + System.Text.Encoding.UTF8.GetString(reply.Span));
                }
                return reply;
            }
            if (filled == _buffer.Length)
            {
                throw new InvalidDataException("reply too long");
            }
        }
    }

    /// <summary>The state field of a status reply.</summary>
    public static string State(ReadOnlySpan<byte> reply)
    {
        string text = System.Text.Encoding.UTF8.GetString(reply);
        const string key = "\"state\":\"";
        int start = text.IndexOf(key, StringComparison.Ordinal);
        return start < 0 ? "" : text[(start + key.Length)..text.IndexOf('"', start + key.Length)];
    }

    public async Task<string> StateAsync(CancellationToken cancellationToken) => State((await CallAsync(cancellationToken).ConfigureAwait(false)).Span);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
