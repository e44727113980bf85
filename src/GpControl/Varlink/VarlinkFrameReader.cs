using System.Buffers;

namespace GpControl.Varlink;

/// <summary>
/// Splits a byte stream into varlink messages: each message is one JSON object followed by a NUL byte.
/// Pure: callers feed it whatever bytes arrived and take complete messages out.
/// </summary>
public sealed class VarlinkFrameReader
{
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;

    public VarlinkFrameReader(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 16);
        MaxMessageBytes = maxMessageBytes;
        _buffer = new byte[Math.Min(maxMessageBytes + 1, 4096)];
    }

    public int MaxMessageBytes { get; }

    /// <summary>Bytes held that do not yet form a complete message.</summary>
    public int Pending => _end - _start;

    /// <summary>Space to receive into; call <see cref="Advance"/> with the count received.</summary>
    public Memory<byte> GetReceiveBuffer()
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = _scanned = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                // Slide the partial message to the front before growing.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _scanned -= _start;
                _start = 0;
            }
            else
            {
                // A message may be MaxMessageBytes plus its NUL; one byte more proves it too large.
                int size = Math.Min(_buffer.Length * 2, MaxMessageBytes + 2);
                if (size > _buffer.Length)
                {
                    Array.Resize(ref _buffer, size);
                }
            }
        }
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>Copies bytes in (for callers that already hold them, e.g. tests).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            Span<byte> target = GetReceiveBuffer().Span;
            if (target.IsEmpty)
            {
                throw new VarlinkProtocolException($"message exceeds {MaxMessageBytes} bytes");
            }
            int n = Math.Min(target.Length, data.Length);
            data[..n].CopyTo(target);
            Advance(n);
            data = data[n..];
        }
    }

    /// <summary>
    /// Takes the next complete message (without its NUL). The memory stays valid until the next call on this reader.
    /// Throws <see cref="VarlinkProtocolException"/> when the pending bytes exceed the size cap without a NUL.
    /// </summary>
    public bool TryReadMessage(out ReadOnlyMemory<byte> message)
    {
        int from = Math.Max(_scanned, _start);
        int nul = _buffer.AsSpan(from, _end - from).IndexOf((byte)0);
        if (nul < 0)
        {
            _scanned = _end;
            if (_end - _start > MaxMessageBytes)
            {
                throw new VarlinkProtocolException($"message exceeds {MaxMessageBytes} bytes");
            }
            message = default;
            return false;
        }
        int length = from + nul - _start;
        if (length > MaxMessageBytes)
        {
            throw new VarlinkProtocolException($"message exceeds {MaxMessageBytes} bytes");
        }
        message = _buffer.AsMemory(_start, length);
        _start += length + 1;
        _scanned = _start;
        return true;
    }
}
