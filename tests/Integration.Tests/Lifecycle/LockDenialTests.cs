using System.Diagnostics;
using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>
/// flock(2) works on a descriptor opened read-only: a local user who can open what the daemon locks can keep it from
/// starting. Real unprivileged users try, before the daemon starts and while it runs.
/// </summary>
public sealed class LockDenialTests
{
    /// <summary>`flock -x -n PATH` as another user, holding the lock (if it got it) until disposed.</summary>
    private sealed class Holder : IAsyncDisposable
    {
        private readonly Process _process;

        private Holder(Process process) => _process = process;

        public static async Task<(Holder Holder, bool Locked)> StartAsync(string user, string path)
        {
            var info = new ProcessStartInfo("setpriv")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[$"--reuid={user}", $"--regid={user}", "--init-groups", "--", "flock", "-x", "-n", path, "-c", "echo locked; exec sleep 600"])
            {
                info.ArgumentList.Add(arg);
            }
            Process process = Process.Start(info)!;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            string? line = await process.StandardOutput.ReadLineAsync(deadline.Token);
            return (new Holder(process), line == "locked");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            _process.Dispose();
        }
    }

    [Fact]
    public async Task AnotherUserCannotKeepTheDaemonFromStarting_BeforeOrWhileItRuns()
    {
        await TestUsers.EnsureAsync();
        using var dir = new TempDirectory();
        // Before start: a runtime directory made by hand (0755) holding an older version's pid file (0644). The other
        // user opens and locks both, as anyone could.
        string run = dir.Combine("run");
        Directory.CreateDirectory(run);
        File.SetUnixFileMode(run, (UnixFileMode)0x1ed);
        string pidFile = Path.Combine(run, "gpdaemon.pid");
        File.WriteAllText(pidFile, "1\n");
        File.SetUnixFileMode(pidFile, (UnixFileMode)0x1a4);
        var holders = new List<Holder>();
        try
        {
            foreach (string path in new[] { run, pidFile })
            {
                (Holder holder, bool locked) = await Holder.StartAsync(TestUsers.Outsider, path);
                holders.Add(holder);
                Assert.True(locked, $"the test's own premise: {path} could be locked before the daemon made it private");
            }

            await using (DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path))
            {
                Assert.Equal(daemon.Pid, (await daemon.StatusAsync()).DaemonPid);

                // While it runs: nothing under its directories can even be opened by that user, let alone locked.
                string[] everything = [dir.Combine("run"), dir.Combine("state"),
                    .. Directory.EnumerateFileSystemEntries(dir.Combine("run"), "*", SearchOption.AllDirectories),
                    .. Directory.EnumerateFileSystemEntries(dir.Combine("state"), "*", SearchOption.AllDirectories)];
                foreach (string path in everything)
                {
                    (Holder holder, bool locked) = await Holder.StartAsync(TestUsers.Outsider, path);
                    holders.Add(holder);
                    Assert.False(locked, $"{TestUsers.Outsider} could lock {path}");
                }
                Assert.Equal(daemon.Pid, (await daemon.StatusAsync()).DaemonPid);

                // And it restarts, with every one of those attempts (and the pre-start holders) still running.
                Assert.Equal(0, await daemon.TerminateAsync());
            }
            await using DaemonProcess restarted = await DaemonProcess.StartReadyAsync(dir.Path);
            Assert.Equal(restarted.Pid, (await restarted.StatusAsync()).DaemonPid);
            Assert.Equal((UnixFileMode)0x1c9 /* 0711 */, File.GetUnixFileMode(run));
            Assert.Equal((UnixFileMode)0x180 /* 0600 */, File.GetUnixFileMode(pidFile));
        }
        finally
        {
            foreach (Holder holder in holders)
            {
                await holder.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ALockHeldByAProgramThatIsNotGpdaemon_IsReportedAsSuch_WithItsPid()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        Directory.CreateDirectory(run);
        string pidFile = Path.Combine(run, "gpdaemon.pid");
        File.WriteAllText(pidFile, "");
        File.SetUnixFileMode(pidFile, (UnixFileMode)0x180);
        // Root can still open the 0600 file and lock it.
        var info = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-x", "-n", pidFile, "-c", "echo locked; exec sleep 600" })
        {
            info.ArgumentList.Add(arg);
        }
        using Process holder = Process.Start(info)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token));

            await using DaemonProcess daemon = DaemonProcess.Start(dir.Path);
            Assert.Equal(1, await daemon.WaitForExitAsync());
            Assert.Contains($"{pidFile} is locked by pid {holder.Id} (flock), which is not gpdaemon", daemon.Output);
            Assert.DoesNotContain("already running", daemon.Output);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        }
    }
}
