using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GpDaemon.Logging;

/// <summary>
/// Encodes one entry in journald's native protocol: "NAME=value\n" per field, or for a value that contains a newline,
/// "NAME\n" + its length as 64-bit little-endian + the value + "\n". Pure: the sink sends what this builds.
/// Every value is bounded, and so is the whole entry, so that it always fits in one datagram.
/// </summary>
internal sealed class JournalEntry
{
    /// <summary>The longest value of a field, in bytes; a longer one is cut and ends with an ellipsis.</summary>
    public const int MaxFieldBytes = 4 * 1024;

    /// <summary>The longest MESSAGE, in bytes (it may carry an exception's stack trace).</summary>
    public const int MaxMessageBytes = 32 * 1024;

    /// <summary>
    /// The largest entry: well under the default socket send buffer (net.core.wmem_default, 208 KiB), which bounds a
    /// datagram. Fields that would go beyond it are left out; the first ones (MESSAGE, PRIORITY, ...) always fit.
    /// </summary>
    public const int MaxEntryBytes = 96 * 1024;

    private static readonly byte[] Ellipsis = "\u2026"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> Bytes => _buffer.WrittenMemory;

    public JournalEntry Add(string name, string value, int maxBytes = MaxFieldBytes)
    {
        string field = FieldName(name);
        if (field.Length == 0)
        {
            return this;
        }
        byte[] bytes = Bounded(value, maxBytes);
        // Name, '\n' or '=', the length, the value, '\n'.
        if (_buffer.WrittenCount + field.Length + 1 + 8 + bytes.Length + 1 > MaxEntryBytes)
        {
            return this;
        }
        Write(field);
        if (bytes.AsSpan().Contains((byte)'\n'))
        {
            Write("\n");
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), (ulong)bytes.Length);
            _buffer.Advance(8);
            _buffer.Write(bytes);
            Write("\n");
        }
        else
        {
            Write("=");
            _buffer.Write(bytes);
            Write("\n");
        }
        return this;
    }

    /// <summary>The value in UTF-8, cut to <paramref name="maxBytes"/> on a character boundary with an ellipsis.</summary>
    internal static byte[] Bounded(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return Encoding.UTF8.GetBytes(value);
        }
        int keep = maxBytes - Ellipsis.Length;
        // No more characters than bytes can fit (each takes at least one), so a huge value is never encoded whole.
        byte[] head = Encoding.UTF8.GetBytes(value[..Math.Min(value.Length, keep)]);
        if (head.Length > keep)
        {
            while (keep > 0 && (head[keep] & 0xC0) == 0x80)
            {
                keep--; // back to the first byte of the character that would be cut
            }
        }
        else
        {
            keep = head.Length;
        }
        return [.. head.AsSpan(0, keep), .. Ellipsis];
    }

    /// <summary>
    /// journald field names: upper-case letters, digits and underscores, not starting with an underscore or a digit
    /// (leading underscores are reserved for fields journald sets itself), at most 64 characters.
    /// </summary>
    public static string FieldName(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        char previous = '_';
        foreach (char c in name)
        {
            char mapped = c switch
            {
                >= 'A' and <= 'Z' or >= '0' and <= '9' => c,
                >= 'a' and <= 'z' => char.ToUpperInvariant(c),
                _ => '_',
            };
            // PascalCase to SNAKE_CASE: "EventId" -> "EVENT_ID".
            if (c is >= 'A' and <= 'Z' && previous is >= 'a' and <= 'z')
            {
                builder.Append('_');
            }
            builder.Append(mapped);
            previous = c;
        }
        string result = builder.ToString().TrimStart('_');
        if (result.Length > 0 && char.IsAsciiDigit(result[0]))
        {
            result = "F_" + result;
        }
        return result.Length > 64 ? result[..64] : result;
    }

    private void Write(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        int written = Encoding.UTF8.GetBytes(text, _buffer.GetSpan(max));
        _buffer.Advance(written);
    }
}
