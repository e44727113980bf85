using System.Text;

namespace Reliability.Tests.ControlSocket;

/// <summary>
/// One hostile exchange on a fresh connection: the bytes to send, in one or several writes, and whether to shut the
/// sending side down afterwards (so that a truncated message meets end-of-stream instead of the idle timeout).
/// </summary>
internal sealed record FuzzCase(string Kind, IReadOnlyList<byte[]> Writes, bool HalfClose)
{
    public byte[] Bytes => [.. Writes.SelectMany(w => w)];

    /// <summary>What a failure report shows: the kind, the length, and the first bytes with control bytes escaped.</summary>
    public override string ToString()
    {
        byte[] bytes = Bytes;
        var preview = new StringBuilder();
        foreach (byte b in bytes.AsSpan(0, Math.Min(bytes.Length, 240)))
        {
            preview.Append(b is >= 0x20 and < 0x7f ? (char)b : $"\\x{b:x2}");
        }
        return $"{Kind} ({bytes.Length} bytes in {Writes.Count} writes{(HalfClose ? ", then shutdown" : "")}): {preview}{(bytes.Length > 240 ? "..." : "")}";
    }
}
