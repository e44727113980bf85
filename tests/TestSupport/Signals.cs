using Tmds.Linux;

namespace GpDaemon.TestSupport;

/// <summary>kill(2): Process.Kill only sends SIGKILL, and a daemon is stopped the way systemd stops it.</summary>
public static class Signals
{
    public static int SIGINT => LibC.SIGINT;
    public static int SIGKILL => LibC.SIGKILL;
    public static int SIGTERM => LibC.SIGTERM;
    public static int SIGCONT => LibC.SIGCONT;
    public static int SIGSTOP => LibC.SIGSTOP;

    public static void Send(int pid, int signal) => LibC.kill(pid, signal);

    public static bool IsAlive(int pid) =>
        LibC.kill(pid, 0) == 0 && !(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'));
}
