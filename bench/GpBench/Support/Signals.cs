using System.Runtime.InteropServices;

namespace GpBench.Support;

/// <summary>kill(2): Process.Kill only sends SIGKILL, and a daemon is stopped the way systemd stops it.</summary>
internal static partial class Signals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);
}
