using System.Diagnostics;
using GpDaemon.Lifecycle;

namespace GpDaemon.Tests.Lifecycle;

public sealed class InstanceLockTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gpdaemon-lock-");

    private string PidFile => Path.Combine(_directory.FullName, "gpdaemon.pid");

    private InstanceLock Acquire() => Assert.IsType<InstanceLockResult.Acquired>(InstanceLock.TryAcquire(PidFile)).Lock;

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>
    /// The pid file's content, read by `cat`: .NET's own file APIs take flock(LOCK_SH) on open and so cannot read a file
    /// whose LOCK_EX is held.
    /// </summary>
    private async Task<string> ReadPidFileAsync()
    {
        (int exitCode, string output) = await RunAsync("cat", PidFile);
        Assert.Equal(0, exitCode);
        return output;
    }

    /// <summary>Starts `flock FILE` holding the lock from another process until killed.</summary>
    private async Task<Process> HoldFromAnotherProcessAsync()
    {
        var start = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-n", PidFile, "-c", "echo locked; exec sleep 600" })
        {
            start.ArgumentList.Add(arg);
        }
        Process holder = Process.Start(start)!;
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token));
        return holder;
    }

    private async Task StopAsync(Process holder)
    {
        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        holder.Dispose();
        // flock's child (the sleep holding the descriptor) may outlive flock by a moment: wait until the lock is free.
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await FlockAsync()).ExitCode != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the holder's lock was never released");
            await Task.Delay(20);
        }
    }

    /// <summary>`flock -n FILE true`: 0 when it could take the lock, 1 when someone holds it.</summary>
    private Task<(int ExitCode, string Output)> FlockAsync() => RunAsync("flock", "-n", "-E", "1", PidFile, "true");

    [Fact]
    public async Task The_lock_is_taken_and_another_process_cannot_take_it()
    {
        using InstanceLock instanceLock = Acquire();

        Assert.Equal(1, (await FlockAsync()).ExitCode);
        Assert.Equal($"{Environment.ProcessId}\n", await ReadPidFileAsync());
        Assert.True(instanceLock.IsIntact);
        Assert.Equal(PidFile, instanceLock.Path);
    }

    [Fact]
    public async Task Releasing_removes_the_file_and_frees_the_lock()
    {
        Acquire().Dispose();

        Assert.False(File.Exists(PidFile));
        Assert.Equal(0, (await FlockAsync()).ExitCode);
        using InstanceLock again = Acquire();
    }

    [Fact]
    public void A_second_acquire_in_the_same_process_is_held()
    {
        using InstanceLock instanceLock = Acquire();

        Assert.IsType<InstanceLockResult.Held>(InstanceLock.TryAcquire(PidFile));
    }

    /// <summary>A pid file as the daemon leaves it: 0600, so that only its owner can open (and lock) it.</summary>
    private void WritePrivatePidFile(string content)
    {
        File.WriteAllText(PidFile, content);
        File.SetUnixFileMode(PidFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_lock_held_by_another_process_is_held_until_that_process_dies()
    {
        WritePrivatePidFile("31337\n");
        Process holder = await HoldFromAnotherProcessAsync();
        try
        {
            Assert.IsType<InstanceLockResult.Held>(InstanceLock.TryAcquire(PidFile));
        }
        finally
        {
            await StopAsync(holder);
        }

        // The holder is gone; the pid it left in the file does not matter.
        using InstanceLock instanceLock = Acquire();
        Assert.Equal($"{Environment.ProcessId}\n", await ReadPidFileAsync());
    }

    [Fact]
    public async Task A_lock_held_elsewhere_names_the_process_that_holds_it_and_says_it_is_not_gpdaemon()
    {
        WritePrivatePidFile("31337\n");
        Process holder = await HoldFromAnotherProcessAsync();
        try
        {
            var held = Assert.IsType<InstanceLockResult.Held>(InstanceLock.TryAcquire(PidFile));

            // The holder comes from /proc/locks, not from what the file claims.
            Assert.Equal(PidFile, held.LockPath);
            Assert.NotNull(held.Owner);
            Assert.Equal(holder.Id, held.Owner.Pid);
            Assert.Equal("flock", held.Owner.Name);
            Assert.False(held.Owner.IsGpdaemon);
        }
        finally
        {
            await StopAsync(holder);
        }
    }

    [Fact]
    public async Task A_pid_file_others_could_open_is_replaced_so_whoever_holds_it_open_cannot_block()
    {
        await File.WriteAllTextAsync(PidFile, "31337\n");
        File.SetUnixFileMode(PidFile, (UnixFileMode)0x1a4 /* 0644: an older daemon's, opened by someone meanwhile */);
        Process holder = await HoldFromAnotherProcessAsync();
        try
        {
            using InstanceLock instanceLock = Acquire();

            Assert.Equal($"{Environment.ProcessId}\n", await ReadPidFileAsync());
            Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(PidFile));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
            holder.Dispose();
        }
    }

    [Fact]
    public void The_runtime_directory_is_left_searchable_but_not_listable_by_others()
    {
        File.SetUnixFileMode(_directory.FullName, (UnixFileMode)0x1ed /* 0755 */);

        using InstanceLock instanceLock = Acquire();

        Assert.Equal((UnixFileMode)0x1c9 /* 0711 */, File.GetUnixFileMode(_directory.FullName));
        Assert.Equal((UnixFileMode)0x180 /* 0600 */, File.GetUnixFileMode(PidFile));
    }

    [Fact]
    public async Task The_lock_is_not_inherited_by_child_processes()
    {
        using InstanceLock instanceLock = Acquire();

        (int exitCode, string fds) = await RunAsync("ls", "-l", "/proc/self/fd");

        Assert.Equal(0, exitCode);
        Assert.Contains("->", fds); // the listing worked: stdin/stdout/stderr are there
        Assert.DoesNotContain(PidFile, fds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a pid at all, and rather longer than a pid would be\n")]
    [InlineData("-5\n")]
    [InlineData("2147483647\n")] // no such process
    public async Task Stale_files_never_block(string content)
    {
        WritePrivatePidFile(content);

        using InstanceLock instanceLock = Acquire();

        Assert.Equal($"{Environment.ProcessId}\n", await ReadPidFileAsync());
    }

    [Fact]
    public async Task The_pid_of_a_dead_process_never_blocks()
    {
        using Process exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        await File.WriteAllTextAsync(PidFile, $"{exited.Id}\n");

        using InstanceLock instanceLock = Acquire();

        Assert.True(instanceLock.IsIntact);
    }

    [Fact]
    public void A_deleted_or_replaced_pid_file_is_noticed()
    {
        using InstanceLock instanceLock = Acquire();

        File.Delete(PidFile);
        Assert.False(instanceLock.IsIntact);

        File.WriteAllText(PidFile, "1\n"); // a new file: nobody holds a lock on it
        Assert.False(instanceLock.IsIntact);
    }

    [Fact]
    public void Releasing_leaves_a_file_that_someone_else_put_there_alone()
    {
        InstanceLock instanceLock = Acquire();
        File.Delete(PidFile);
        File.WriteAllText(PidFile, "someone else's\n");

        instanceLock.Dispose();

        Assert.Equal("someone else's\n", File.ReadAllText(PidFile));
    }

    [Fact]
    public void A_symlink_at_the_pid_file_path_is_not_followed()
    {
        string target = Path.Combine(_directory.FullName, "precious");
        File.WriteAllText(target, "keep me\n");
        File.CreateSymbolicLink(PidFile, target);

        Assert.Throws<IOException>(() => InstanceLock.TryAcquire(PidFile));
        Assert.Equal("keep me\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_missing_directory_is_an_io_error()
    {
        Assert.Throws<IOException>(() => InstanceLock.TryAcquire(Path.Combine(_directory.FullName, "missing", "gpdaemon.pid")));
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
