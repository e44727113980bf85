using System.Runtime.InteropServices;

namespace Systemd.Tests.Support;

internal static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Send(int pid, int signal) => Kill(pid, signal);
}
