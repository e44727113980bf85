namespace GpDaemon.TestSupport;

/// <summary>The openconnect processes on this machine that a given daemon's runtime directory started.</summary>
public static class OpenConnectProcesses
{
    /// <summary>
    /// The tunnels: openconnect processes started for this runtime directory. A child that openconnect has forked
    /// but not yet exec'd (to run its script) still shows openconnect's argv for a moment; it is the same tunnel, so
    /// processes whose parent is one of them are not counted.
    /// </summary>
    public static int[] Of(string runtimeDirectory)
    {
        var found = new Dictionary<int, int>(); // pid -> parent pid
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }
            try
            {
                string[] argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (argv.Length == 0 || Path.GetFileName(argv[0]) != "openconnect"
                    || !argv.Any(a => a.Contains(runtimeDirectory, StringComparison.Ordinal)))
                {
                    continue;
                }
                // /proc/PID/stat: "pid (comm) state ppid ...": the fields after the last ')'.
                string[] stat = File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[^1].Split(' ');
                if (stat[0] != "Z")
                {
                    found[pid] = int.Parse(stat[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return [.. found.Where(p => !found.ContainsKey(p.Value)).Select(p => p.Key)];
    }

    /// <summary>Every process's argv, joined: to prove a secret is in none of them.</summary>
    public static IEnumerable<(int Pid, string CommandLine)> AllCommandLines()
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            yield return (pid, commandLine);
        }
    }
}
