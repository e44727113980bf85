using System.Text;

namespace FakeGlobalProtect.Http;

/// <summary>
/// Reads HTTP heads and exact byte counts from one stream through one buffer, so bytes that arrive
/// behind a request (pipelined requests, tunnel frames after the tunnel GET) are never lost.
/// </summary>
public sealed class BufferedStreamReader(Stream stream, int capacity = 64 * 1024)
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _start;
    private int _end;

    public Stream Stream => stream;

    /// <summary>
    /// Returns the text of the next head (request line and headers, without the blank line), or null
    /// when the peer closed the stream between messages. Blank lines before a request are skipped.
    /// </summary>
    public async ValueTask<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var scanFrom = 0;
        while (true)
        {
            // A client may send stray CRLFs between requests (RFC 9112 2.2): skip them.
            while (_end - _start > 0 && scanFrom == 0 && (_buffer[_start] == (byte)'\r' || _buffer[_start] == (byte)'\n'))
            {
                _start++;
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var (lastLineFeed, consumed) = FindHeadEnd(available, scanFrom);
            if (lastLineFeed >= 0)
            {
                var head = available[..lastLineFeed];
                if (head.Length > 0 && head[^1] == (byte)'\r')
                {
                    head = head[..^1];
                }

                var text = Encoding.Latin1.GetString(head);
                _start += consumed;
                return text;
            }
            scanFrom = Math.Max(0, available.Length - 3);

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_end - _start == 0)
                {
                    return null;
                }

                throw new InvalidDataException("connection closed in the middle of a request head");
            }
        }
    }

    /// <summary>Reads one CRLF- or LF-terminated line (for chunk sizes), without the terminator.</summary>
    public async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = available[..newline];
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                var text = Encoding.Latin1.GetString(line);
                _start += newline + 1;
                return text;
            }
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("connection closed in the middle of a line");
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> completely. Returns false if the stream ended before the
    /// first byte; throws if it ended part way.
    /// </summary>
    public async ValueTask<bool> ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            if (_end - _start == 0)
            {
                var read = await stream.ReadAsync(destination[filled..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (filled == 0)
                    {
                        return false;
                    }

                    throw new EndOfStreamException($"stream ended after {filled} of {destination.Length} bytes");
                }
                filled += read;
                continue;
            }
            var take = Math.Min(_end - _start, destination.Length - filled);
            _buffer.AsMemory(_start, take).CopyTo(destination[filled..]);
            _start += take;
            filled += take;
        }
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new InvalidDataException($"request head larger than {_buffer.Length} bytes");
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>
    /// Finds the blank line that ends a head: "\n\r\n" or a lenient "\n\n". Returns the index of the
    /// line feed that ends the last header line and how many bytes the whole head occupies, or -1.
    /// </summary>
    private static (int LastLineFeed, int Consumed) FindHeadEnd(ReadOnlySpan<byte> data, int from)
    {
        for (var i = from; i < data.Length; i++)
        {
            if (data[i] != (byte)'\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == (byte)'\n')
            {
                return (i, i + 2);
            }

            if (i + 2 < data.Length && data[i + 1] == (byte)'\r' && data[i + 2] == (byte)'\n')
            {
                return (i, i + 3);
            }
        }
        return (-1, 0);
    }
}
