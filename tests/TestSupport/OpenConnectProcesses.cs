namespace GpDaemon.TestSupport;

/// <summary>The openconnect processes on this machine that a given daemon's runtime directory started.</summary>
public static class OpenConnectProcesses
{
    public static int[] Of(string runtimeDirectory)
    {
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }
            try
            {
                string[] argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (argv.Length > 0 && Path.GetFileName(argv[0]) == "openconnect" && argv.Any(a => a.Contains(runtimeDirectory, StringComparison.Ordinal))
                    && !File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[^1].StartsWith('Z'))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return [.. pids];
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
