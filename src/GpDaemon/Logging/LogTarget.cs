using System.Globalization;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Logging;

/// <summary>Decides where logs go: the journal when systemd connected our stderr to it, the console otherwise.</summary>
internal static unsafe class LogTarget
{
    /// <summary>
    /// True when JOURNAL_STREAM names the very stream our stderr is (not merely inherited by a process whose output
    /// was redirected), and the journal socket exists.
    /// </summary>
    public static bool UseJournal(string? journalStream, string socketPath)
    {
        if (string.IsNullOrEmpty(journalStream) || !File.Exists(socketPath))
        {
            return false;
        }
        string[] parts = journalStream.Split(':');
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong device)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
        {
            return false;
        }
        stat st;
        if (fstat(STDERR_FILENO, &st) != 0)
        {
            return false;
        }
        return (ulong)st.st_dev == device && (ulong)st.st_ino == inode;
    }
}
