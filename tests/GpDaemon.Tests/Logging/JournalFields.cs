using System.Buffers.Binary;
using System.Text;

namespace GpDaemon.Tests.Logging;

/// <summary>Reads journald's native protocol the way journald does, so tests check what would really be stored.</summary>
internal static class JournalFields
{
    public static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> entry)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (!entry.IsEmpty)
        {
            int newline = entry.IndexOf((byte)'\n');
            Assert.True(newline >= 0, "every field ends with a newline");
            int equals = entry[..newline].IndexOf((byte)'=');
            if (equals >= 0)
            {
                fields.Add(new(Encoding.UTF8.GetString(entry[..equals]), Encoding.UTF8.GetString(entry[(equals + 1)..newline])));
                entry = entry[(newline + 1)..];
            }
            else
            {
                string name = Encoding.UTF8.GetString(entry[..newline]);
                entry = entry[(newline + 1)..];
                int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(entry));
                entry = entry[8..];
                fields.Add(new(name, Encoding.UTF8.GetString(entry[..length])));
                Assert.Equal((byte)'\n', entry[length]);
                entry = entry[(length + 1)..];
            }
        }
        return fields;
    }

    public static string Single(this List<KeyValuePair<string, string>> fields, string name) =>
        Assert.Single(fields, f => f.Key == name).Value;
}
