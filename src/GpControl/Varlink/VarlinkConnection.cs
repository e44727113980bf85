namespace GpControl.Varlink;

/// <summary>Reads and writes varlink messages over any stream (a Unix socket, or an in-memory pipe in tests).</summary>
public sealed class VarlinkConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly VarlinkFrameReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public VarlinkConnection(Stream stream, int maxMessageBytes = ControlDefaults.MaxMessageBytes)
    {
        _stream = stream;
        _reader = new VarlinkFrameReader(maxMessageBytes);
    }

    /// <summary>The next message, or null at end of stream. A partial message at end of stream is a protocol error.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_reader.TryReadMessage(out ReadOnlyMemory<byte> message))
            {
                return message;
            }
            Memory<byte> buffer = _reader.GetReceiveBuffer();
            int n = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (_reader.Pending > 0)
                {
                    throw new VarlinkProtocolException("connection closed in the middle of a message");
                }
                return null;
            }
            _reader.Advance(n);
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        return _stream.DisposeAsync();
    }
}
