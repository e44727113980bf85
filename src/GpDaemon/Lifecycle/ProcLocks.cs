using System.Globalization;

namespace GpDaemon.Lifecycle;

/// <summary>
/// Reads /proc/locks, which names the pid holding each lock by device and inode ("1: FLOCK  ADVISORY  WRITE 1234
/// 00:1a:5678 0 EOF"): the only way to say who holds a lock on a file that holds no pid of its own.
/// </summary>
internal static class ProcLocks
{
    /// <summary>The pid holding a flock(2) on the inode, or null when none is listed (waiters, "->", are skipped).</summary>
    public static int? FindFlockHolder(string procLocks, uint major, uint minor, ulong inode)
    {
        foreach (string line in procLocks.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[1] != "FLOCK")
            {
                continue;
            }
            string[] id = fields[5].Split(':');
            if (id.Length == 3
                && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
                && uint.TryParse(id[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint maj) && maj == major
                && uint.TryParse(id[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint min) && min == minor
                && ulong.TryParse(id[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong ino) && ino == inode)
            {
                return pid;
            }
        }
        return null;
    }

    /// <summary>Describes a live process: its name (comm) and whether its executable is a gpdaemon.</summary>
    public static LockOwner Describe(int pid)
    {
        string? name = null;
        bool isGpdaemon = false;
        try
        {
            name = File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        try
        {
            // An upgraded binary shows as "/usr/lib/gpdaemon/gpdaemon (deleted)".
            string? exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            if (exe is not null)
            {
                exe = exe.EndsWith(" (deleted)", StringComparison.Ordinal) ? exe[..^" (deleted)".Length] : exe;
                isGpdaemon = Path.GetFileName(exe) == "gpdaemon";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return new LockOwner(pid, name, isGpdaemon);
    }

    // glibc's major(3) and minor(3).
    public static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));

    public static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}
