using System.Diagnostics;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>Root is never locked out by other users' connections, and a burst of clients waits instead of failing.</summary>
public sealed class ConnectionLimitTests
{
    /// <summary>`gpctl watch` as another user: an idle connection that stays open; started once its first status arrived.</summary>
    private static async Task<Process> WatchAsAsync(string user, string socket)
    {
        var info = new ProcessStartInfo("runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-u", user, "--", Binaries.Ctl, "--socket", socket, "watch"])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = "/tmp";
        Process watch = Process.Start(info)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? first = await watch.StandardOutput.ReadLineAsync(deadline.Token);
        Assert.True(first is not null && first.Contains("Disconnected", StringComparison.Ordinal),
            $"gpctl watch as {user} was not served: '{first}'");
        return watch;
    }

    [Fact]
    public async Task RootCanStillDisconnect_WhenOtherUsersHoldEveryConnectionWithIdleWatches()
    {
        await TestUsers.EnsureAsync();
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, $"""
            control_group = "{TestUsers.ControlGroup}"
            [control]
            max_connections = 4
            max_connections_per_user = 2
            """);
        var watchers = new List<Process>();
        try
        {
            // Two users, each with their full share: every connection other users may have is taken.
            foreach (string user in new[] { TestUsers.Outsider, TestUsers.Member })
            {
                watchers.Add(await WatchAsAsync(user, daemon.SocketPath));
                watchers.Add(await WatchAsAsync(user, daemon.SocketPath));
            }

            ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
            Assert.True(disconnect.ExitCode == 0, disconnect + "\n" + daemon.Output);
            ProcessResult status = await Run.GpctlAsync(daemon.SocketPath, "status");
            Assert.True(status.ExitCode == 1 && status.Stdout.Contains("Disconnected", StringComparison.Ordinal), status.ToString());
            Assert.All(watchers, w => Assert.False(w.HasExited));
        }
        finally
        {
            foreach (Process watcher in watchers)
            {
                watcher.Kill();
                await watcher.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
                watcher.Dispose();
            }
        }
    }

    [Fact]
    public async Task ABurstOf200ClientsWith20CallsEach_HasNoErrors_EvenFarBeyondMaxConnections()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, """
            [control]
            max_connections = 16
            """);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        int answered = 0;

        async Task ClientAsync()
        {
            await start.Task;
            try
            {
                await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, deadline.Token);
                for (int call = 0; call < 20; call++)
                {
                    VpnStatus status = await client.GetStatusAsync(deadline.Token);
                    Assert.Equal(daemon.Pid, status.DaemonPid);
                    Interlocked.Increment(ref answered);
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                errors.Add(ex.GetType().Name + ": " + ex.Message);
            }
        }

        Task[] clients = [.. Enumerable.Range(0, 200).Select(_ => Task.Run(ClientAsync))];
        start.SetResult();
        await Task.WhenAll(clients);

        Assert.True(errors.IsEmpty, $"{errors.Count} clients failed, e.g. {errors.FirstOrDefault()}\n{daemon.Output}");
        Assert.Equal(200 * 20, answered);
        Assert.False(daemon.HasExited);
    }
}
