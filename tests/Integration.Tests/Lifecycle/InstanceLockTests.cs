using System.Diagnostics;
using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>One daemon per runtime directory, however they are started, and nothing stale after a crash.</summary>
public sealed class InstanceLockTests
{
    private const int AlreadyRunning = 3;

    [Fact]
    public async Task TwentyDaemonsStartedTogether_ExactlyOneRuns_AndTheOthersNameIt()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("gpdaemon.toml"), "");
        string gate = dir.Combine("go");
        // Each shell waits at the gate, then execs gpdaemon (same pid), so all twenty start within a few milliseconds.
        var daemons = new List<Process>();
        for (int i = 0; i < 20; i++)
        {
            var info = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"while [ ! -e '{gate}' ]; do sleep 0.005; done; exec '{Binaries.Daemon}' --config '{dir.Combine("gpdaemon.toml")}' --runtime-dir '{dir.Combine("run")}' --state-dir '{dir.Combine("state")}'");
            info.Environment.Remove("NOTIFY_SOCKET");
            daemons.Add(Process.Start(info)!);
        }
        var stderr = daemons.Select(d => d.StandardError.ReadToEndAsync()).ToArray();
        var stdout = daemons.Select(d => d.StandardOutput.ReadToEndAsync()).ToArray();
        await Task.Delay(200); // let every shell reach the gate
        File.WriteAllText(gate, "");

        try
        {
            // Every loser exits promptly; the winner keeps running.
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (daemons.Count(d => !d.HasExited) > 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Process[] running = [.. daemons.Where(d => !d.HasExited)];
            Assert.Single(running);
            int winner = running[0].Id;

            for (int i = 0; i < daemons.Count; i++)
            {
                if (daemons[i].Id == winner)
                {
                    continue;
                }
                string message = await stderr[i];
                Assert.Equal(AlreadyRunning, daemons[i].ExitCode);
                Assert.Contains($"gpdaemon: already running (pid {winner}", message);
            }

            GpControl.VpnStatus status = await StatusWhenReadyAsync(dir.Combine("run", "gpdaemon.sock"));
            Assert.Equal(winner, status.DaemonPid);
            Assert.Equal("Disconnected", status.State);
            Assert.Equal($"{winner}", Files.ReadShared(dir.Combine("run", "gpdaemon.pid")).Trim());
        }
        finally
        {
            foreach (Process daemon in daemons.Where(d => !d.HasExited))
            {
                Signals.Send(daemon.Id, Signals.SIGTERM);
                await daemon.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            }
        }
    }

    private static async Task<GpControl.VpnStatus> StatusWhenReadyAsync(string socket)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var client = await GpControl.VpnClient.ConnectAsync(socket, Deadline.Token());
                return await client.GetStatusAsync(Deadline.Token());
            }
            catch (GpControl.DaemonUnreachableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task AfterKill9_ANewDaemonStartsAtOnceAndAnswers()
    {
        using var dir = new TempDirectory();
        int firstPid;
        {
            await using DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path);
            firstPid = first.Pid;
            await first.KillAsync();
            // The crash left its files behind: the pid file naming a dead pid, and the socket.
            Assert.True(File.Exists(first.PidFile));
            Assert.True(File.Exists(first.SocketPath));
        }
        await using DaemonProcess second = await DaemonProcess.StartReadyAsync(dir.Path);
        GpControl.VpnStatus status = await second.StatusAsync();
        Assert.Equal(second.Pid, status.DaemonPid);
        Assert.NotEqual(firstPid, second.Pid);
        Assert.Equal($"{second.Pid}", Files.ReadShared(second.PidFile).Trim());
    }

    [Fact]
    public async Task APidFileNamingALiveUnrelatedProcess_DoesNotBlockAStart_AndThatProcessIsLeftAlone()
    {
        using var dir = new TempDirectory();
        using Process unrelated = Process.Start("sleep", "120");
        try
        {
            Directory.CreateDirectory(dir.Combine("run"));
            File.WriteAllText(dir.Combine("run", "gpdaemon.pid"), $"{unrelated.Id}\n");
            await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path);
            Assert.Equal($"{daemon.Pid}", Files.ReadShared(daemon.PidFile).Trim());
            Assert.False(unrelated.HasExited);
        }
        finally
        {
            unrelated.Kill();
        }
    }

    [Theory]
    [InlineData("garbage\u00ff\u0000\n")]
    [InlineData("")]
    [InlineData("999999999\n")]
    [InlineData("-1")]
    public async Task AStalePidFile_NeverBlocksAStart(string content)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("run"));
        File.WriteAllText(dir.Combine("run", "gpdaemon.pid"), content);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path);
        Assert.Equal($"{daemon.Pid}", Files.ReadShared(daemon.PidFile).Trim());
    }

    [Fact]
    public async Task ASecondDaemon_DoesNotTouchTheRunningDaemonsSocket()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path);
        string inodeBefore = (await Run.ProgramAsync("stat", ["-c", "%i", first.SocketPath])).Stdout;
        await using DaemonProcess second = DaemonProcess.Start(dir.Path);
        Assert.Equal(AlreadyRunning, await second.WaitForExitAsync());
        Assert.Contains($"already running (pid {first.Pid}", second.Output);
        Assert.Equal(inodeBefore, (await Run.ProgramAsync("stat", ["-c", "%i", first.SocketPath])).Stdout);
        Assert.Equal(first.Pid, (await first.StatusAsync()).DaemonPid);
    }

    [Fact]
    public async Task ACleanStop_RemovesThePidFileAndTheSocket()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path);
        Assert.Equal(0, await daemon.TerminateAsync());
        Assert.False(File.Exists(daemon.PidFile));
        Assert.False(File.Exists(daemon.SocketPath));
    }
}
