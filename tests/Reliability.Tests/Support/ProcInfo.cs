using System.Globalization;

namespace Reliability.Tests.Support;

/// <summary>What /proc says about a process: memory, open files, children, and the secrets it may expose.</summary>
internal static class ProcInfo
{
    /// <summary>Resident memory in KiB (VmRSS in /proc/PID/status).</summary>
    public static long RssKiB(int pid) => StatusField(pid, "VmRSS:") is { } value
        ? long.Parse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS (is {pid} alive?)");

    /// <summary>
    /// How many sockets the process has open (each accepted control connection is one). Other descriptors come and go
    /// with what the runtime loads (every assembly is two), so they say nothing about connections.
    /// </summary>
    public static int OpenSockets(int pid)
    {
        int sockets = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    sockets++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Closed while we looked.
            }
        }
        return sockets;
    }

    public static string? StatusField(int pid, string name)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return line[name.Length..].Trim();
            }
        }
        return null;
    }

    /// <summary>Every live process below <paramref name="pid"/> (children, grandchildren...), by parent pid in /proc/*/stat.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child))
            {
                continue;
            }
            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z")
                {
                    parents[child] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.Count > 0)
        {
            int parent = frontier.Dequeue();
            foreach ((int child, int ppid) in parents)
            {
                if (ppid == parent && !result.Contains(child))
                {
                    result.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }
        return result;
    }

    /// <summary>/proc/PID/FILE as text (NULs kept), or null when the process is gone or the file is not readable.</summary>
    public static string? TryRead(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
