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

    /// <summary>
    /// Describes a live process: its name (comm) and whether it is a gpdaemon, that is runs as root or as this daemon's
    /// user (no other user can pass for one by naming a program "gpdaemon") from an executable named gpdaemon, or,
    /// when its executable cannot be read (another non-dumpable root process, seen from inside the unit's sandbox),
    /// with that name.
    /// </summary>
    public static LockOwner Describe(int pid, uint daemonUid)
    {
        string? name = ReadOrNull($"/proc/{pid}/comm")?.TrimEnd('\n');
        uint? uid = ParseEffectiveUid(ReadOrNull($"/proc/{pid}/status"));
        string? exe = null;
        try
        {
            // An upgraded binary shows as "/usr/lib/gpdaemon/gpdaemon (deleted)".
            exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        string? program = exe is null ? name : Path.GetFileName(exe.EndsWith(" (deleted)", StringComparison.Ordinal) ? exe[..^" (deleted)".Length] : exe);
        bool isGpdaemon = (uid == 0 || uid == daemonUid) && program == "gpdaemon";
        return new LockOwner(pid, name, isGpdaemon);
    }

    /// <summary>The effective uid from /proc/PID/status ("Uid:\treal\teffective\tsaved\tfs").</summary>
    public static uint? ParseEffectiveUid(string? status)
    {
        foreach (string line in (status ?? "").Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                string[] ids = line["Uid:".Length..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return ids.Length >= 2 && uint.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) ? uid : null;
            }
        }
        return null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // glibc's major(3) and minor(3).
    public static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));

    public static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}
