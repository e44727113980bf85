using System.Globalization;

namespace GpTunnel.Launch;

/// <summary>The fields of /proc/PID/stat the supervisor uses.</summary>
/// <param name="State">R, S, D, Z, ...</param>
/// <param name="ProcessGroup">pgrp (field 5).</param>
/// <param name="Session">session id (field 6).</param>
/// <param name="StartTime">Start time in clock ticks after boot (field 22): with the pid, a process's identity.</param>
internal sealed record ProcStat(char State, int ProcessGroup, int Session, ulong StartTime)
{
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Parses /proc/PID/stat content. The command name (field 2) may contain spaces and ')'.</summary>
    public static ProcStat? Parse(string content)
    {
        var close = content.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = content[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state).
        if (fields.Length < 20 || fields[0].Length != 1)
        {
            return null;
        }

        if (!int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(fields[0][0], pgrp, session, start);
    }

    /// <summary>Null when the process does not exist (or cannot be read).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>argv of a process from /proc/PID/cmdline; empty when unreadable.</summary>
    public static IReadOnlyList<string> ReadCommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return ParseCommandLine(raw);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static IReadOnlyList<string> ParseCommandLine(string raw) =>
        raw.Length == 0 ? [] : raw.TrimEnd('\0').Split('\0');

    /// <summary>Target of /proc/PID/exe without the " (deleted)" suffix an upgraded binary gets; null when unreadable.</summary>
    public static string? ReadExecutable(int pid)
    {
        try
        {
            var target = File.ResolveLinkTarget($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/exe", returnFinalTarget: false);
            if (target is null)
            {
                return null;
            }

            var path = target.FullName;
            const string deleted = " (deleted)";
            return path.EndsWith(deleted, StringComparison.Ordinal) ? path[..^deleted.Length] : path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
