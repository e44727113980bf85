using System.Security.Cryptography;
using System.Text;

namespace GpTunnel;

/// <summary>Write-to-temporary-then-rename, so readers see the old or the new content, never a mix.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content, UnixFileMode mode) => Write(path, Encoding.UTF8.GetBytes(content), mode);

    /// <summary>
    /// The temporary file has an unpredictable name and is created with O_CREAT|O_EXCL (FileMode.CreateNew), which never
    /// follows a symlink and never opens a file that already exists: nothing planted beside <paramref name="path"/> can
    /// redirect the write.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        bool created = false;
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            }))
            {
                created = true;
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch when (created)
        {
            File.Delete(temporary);
            throw;
        }
    }
}
