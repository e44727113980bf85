using System.Globalization;

namespace GpBench.Support;

/// <summary>What /proc says about a process and the machine.</summary>
internal static class ProcStat
{
    /// <summary>Kernel clock ticks per second of /proc/PID/stat (USER_HZ, 100 on every Linux this runs on).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>VmRSS and VmHWM in KiB.</summary>
    public static (long RssKiB, long PeakKiB) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKiB(line);
            }
        }
        return (rss, peak);
    }

    public static int Threads(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>utime + stime of the process, in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    public static string CpuModel()
    {
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        return "unknown CPU";
    }

    public static long MemTotalKiB()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return ParseKiB(line);
            }
        }
        return 0;
    }

    public static string Kernel() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    public static string Debian() => File.Exists("/etc/debian_version") ? File.ReadAllText("/etc/debian_version").Trim() : "unknown";

    private static long ParseKiB(string line) =>
        long.Parse(line[(line.IndexOf(':') + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}
