using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GpDaemon.Logging;

/// <summary>
/// Encodes one entry in journald's native protocol: "NAME=value\n" per field, or for a value that contains a newline,
/// "NAME\n" + its length as 64-bit little-endian + the value + "\n". Pure: the sink sends what this builds.
/// </summary>
internal sealed class JournalEntry
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> Bytes => _buffer.WrittenMemory;

    public JournalEntry Add(string name, string value)
    {
        string field = FieldName(name);
        if (field.Length == 0)
        {
            return this;
        }
        Write(field);
        if (value.Contains('\n'))
        {
            Write("\n");
            int length = Encoding.UTF8.GetByteCount(value);
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), (ulong)length);
            _buffer.Advance(8);
            Write(value);
            Write("\n");
        }
        else
        {
            Write("=");
            Write(value);
            Write("\n");
        }
        return this;
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
