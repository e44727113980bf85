using System.Diagnostics;
using Reliability.Tests.Support;

namespace Reliability.Tests.Secrets;

/// <summary>
/// The daemon holds passwords and cookies in memory, so it turns core dumps and same-user inspection off
/// (prctl(PR_SET_DUMPABLE, 0)). Linux does not print that flag anywhere in /proc; it shows it by its effects, which
/// is what is checked here without ptrace: the files of /proc/PID become root:root, and another process of the same
/// user may no longer read /proc/PID/environ or /proc/PID/mem. As root both are true of every process (root owns
/// them, and CAP_SYS_PTRACE reads anything), so the daemon runs as an unprivileged test user; a plain process of that
/// user, started the same way, is the control that shows the checks can tell the difference.
/// </summary>
public sealed class DumpableTests
{
    [Fact]
    public async Task TheDaemon_IsNotDumpable_SoItsOwnUserCannotReadItsMemoryOrEnvironment()
    {
        await TestUsers.EnsureAsync();
        string user = TestUsers.Outsider;
        using var dir = new TempDirectory("gpd-dumpable");
        ProcessResult chown = await Run.ProgramAsync("chown", ["-R", $"{user}:", dir.Path]);
        Assert.True(chown.ExitCode == 0, chown.ToString());
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, asUser: user);
        string uid = (await Run.ProgramAsync("id", ["-u", user])).Stdout.Trim();
        Assert.Equal(uid, ProcInfo.StatusField(daemon.Pid, "Uid:")!.Split('\t')[0]); // it really runs as that user

        using Process control = StartAs(user, "sleep", "60");
        try
        {
            // setpriv changes user, then execs sleep: wait for that (bounded only against a hang).
            DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
            while (ProcInfo.TryRead(control.Id, "comm")?.Trim() != "sleep" && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(10);
            }
            Assert.Equal(uid, ProcInfo.StatusField(control.Id, "Uid:")!.Split('\t')[0]);

            // Dumpable: /proc/PID belongs to the process's user, who may read its environment.
            Assert.Equal(uid, await OwnerAsync($"/proc/{control.Id}/status"));
            Assert.Equal(0, (await ReadAsAsync(user, $"/proc/{control.Id}/environ")).ExitCode);

            // Not dumpable: root:root, and the same user is refused.
            Assert.Equal("0", await OwnerAsync($"/proc/{daemon.Pid}/status"));
            Assert.Equal("0", await OwnerAsync($"/proc/{daemon.Pid}/mem"));
            ProcessResult environ = await ReadAsAsync(user, $"/proc/{daemon.Pid}/environ");
            Assert.True(environ.ExitCode != 0 && environ.Stderr.Contains("Permission denied", StringComparison.Ordinal), environ.ToString());
            ProcessResult mem = await ReadAsAsync(user, $"/proc/{daemon.Pid}/mem");
            Assert.True(mem.ExitCode != 0 && mem.Stderr.Contains("Permission denied", StringComparison.Ordinal), mem.ToString());
        }
        finally
        {
            control.Kill();
            await control.WaitForExitAsync();
        }
        Assert.False(daemon.HasExited, daemon.Output);
    }

    private static Process StartAs(string user, params string[] command)
    {
        var info = new ProcessStartInfo("setpriv") { UseShellExecute = false };
        foreach (string arg in (string[])[$"--reuid={user}", $"--regid={user}", "--init-groups", "--", .. command])
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    /// <summary>Reads the first bytes of a file as <paramref name="user"/> (dd: /proc/PID/mem needs no seek to be refused).</summary>
    private static Task<ProcessResult> ReadAsAsync(string user, string path) =>
        Run.ProgramAsync("setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", "dd", $"if={path}", "of=/dev/null", "bs=64", "count=1"]);

    private static async Task<string> OwnerAsync(string path)
    {
        ProcessResult stat = await Run.ProgramAsync("stat", ["-c", "%u", path]);
        Assert.True(stat.ExitCode == 0, stat.ToString());
        return stat.Stdout.Trim();
    }
}
