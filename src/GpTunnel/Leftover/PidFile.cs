using System.Globalization;

namespace GpTunnel.Leftover;

/// <summary>
/// RuntimeDirectory/openconnect.pid: "PID\nSTARTTIME\n". The start time (from /proc/PID/stat) tells a
/// recycled pid apart; the first line alone keeps `kill $(head -1 openconnect.pid)` working for humans.
/// </summary>
internal sealed record PidFile(int ProcessId, ulong? StartTime)
{
    public const string FileName = "openconnect.pid";

    public string Format() => StartTime is { } start
        ? string.Create(CultureInfo.InvariantCulture, $"{ProcessId}\n{start}\n")
        : string.Create(CultureInfo.InvariantCulture, $"{ProcessId}\n");

    /// <summary>Null for anything but a positive pid, optionally followed by a start time.</summary>
    public static PidFile? Parse(string content)
    {
        var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length is 0 or > 2
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            return null;
        }

        if (lines.Length == 1)
        {
            return new PidFile(pid, null);
        }

        return ulong.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new PidFile(pid, start)
            : null;
    }

    /// <summary>Writes atomically: a temporary file in the same directory, then rename.</summary>
    public void Write(string path)
    {
        AtomicFile.Write(path, Format(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Deletes the file only if it still names <paramref name="processId"/> (a newer run may have replaced it).</summary>
    public static void DeleteIfOwned(string path, int processId)
    {
        try
        {
            if (File.Exists(path) && Parse(File.ReadAllText(path))?.ProcessId == processId)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: StopLeftoverAsync checks the process behind a stale file anyway.
        }
    }
}
