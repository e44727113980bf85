using System.Runtime.InteropServices;

namespace GpDaemon.TestSupport;

/// <summary>kill(2): Process.Kill only sends SIGKILL, and a daemon is stopped the way systemd stops it.</summary>
public static partial class Signals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Send(int pid, int signal) => Kill(pid, signal);

    public static bool IsAlive(int pid) =>
        Kill(pid, 0) == 0 && !(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'));
}
