using GpTunnel.Interop;
using GpTunnel.Launch;
using GpTunnel.Leftover;
using GpTunnel.Logging;
using Tmds.Linux;

namespace GpTunnel;

public sealed partial class OpenConnectSupervisor
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// At daemon start: stops an openconnect a previous daemon left running, as recorded in
    /// RuntimeDirectory/openconnect.pid. The pid is only trusted after /proc shows the same start time,
    /// the configured openconnect binary and this runtime directory's wrapper as --script; then one
    /// SIGTERM (it logs out), a wait of StopTimeout, and SIGKILL.
    /// </summary>
    public async Task<LeftoverResult> StopLeftoverAsync(CancellationToken cancellationToken)
    {
        var result = await StopLeftoverCoreAsync(cancellationToken).ConfigureAwait(false);
        if (result.Outcome == LeftoverOutcome.None)
        {
            Log.NoLeftover(_logger, PidFilePath);
        }
        else
        {
            Log.LeftoverChecked(_logger, result.Outcome, result.ProcessId, result.Message);
        }
        // A leftover that died (or was killed) without the vpnc-script's disconnect left its DNS behind.
        if (result.Outcome != LeftoverOutcome.StillRunning)
        {
            await VpncDisconnect.RunIfLeftAsync(_options, result.ProcessId,
                pid => ProcStat.Read(pid) is { IsZombie: false } && IsOurOpenConnect(pid), _logger, cancellationToken).ConfigureAwait(false);
        }

        if (result.Outcome is not (LeftoverOutcome.None or LeftoverOutcome.StillRunning))
        {
            TryDelete(PidFilePath);
        }

        return result;
    }

    private async Task<LeftoverResult> StopLeftoverCoreAsync(CancellationToken cancellationToken)
    {
        string content;
        try
        {
            content = await File.ReadAllTextAsync(PidFilePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LeftoverResult(LeftoverOutcome.None, null, "no pid file");
        }

        if (PidFile.Parse(content) is not { } recorded)
        {
            return new LeftoverResult(LeftoverOutcome.Stale, null, "the pid file does not hold a pid");
        }

        var pid = recorded.ProcessId;

        // A pidfd pins the process: once open, the checks below and the signals refer to the same one.
        var pidfd = Native.pidfd_open(pid, 0);
        if (pidfd < 0 && LibC.errno == LibC.ESRCH)
        {
            return new LeftoverResult(LeftoverOutcome.Stale, pid, "no such process");
        }

        try
        {
            var stat = ProcStat.Read(pid);
            if (stat is null || stat.IsZombie)
            {
                return new LeftoverResult(LeftoverOutcome.Stale, pid, "no such process");
            }

            if (recorded.StartTime is { } start && start != stat.StartTime)
            {
                return new LeftoverResult(LeftoverOutcome.NotOurs, pid, "the pid now belongs to a newer process");
            }

            if (!IsOurOpenConnect(pid))
            {
                return new LeftoverResult(LeftoverOutcome.NotOurs, pid, "the process is not openconnect run by this daemon");
            }

            Log.StoppingLeftover(_logger, pid);
            Signal(pidfd, pid, LibC.SIGTERM);
            if (await WaitForExitAsync(pidfd, pid, _options.StopTimeout, cancellationToken).ConfigureAwait(false))
            {
                return new LeftoverResult(LeftoverOutcome.Stopped, pid, "stopped with SIGTERM");
            }

            Signal(pidfd, pid, LibC.SIGKILL);
            return await WaitForExitAsync(pidfd, pid, KillWait, cancellationToken).ConfigureAwait(false)
                ? new LeftoverResult(LeftoverOutcome.Killed, pid, $"ignored SIGTERM for {_options.StopTimeout}; killed")
                : new LeftoverResult(LeftoverOutcome.StillRunning, pid, "still running after SIGKILL");
        }
        finally
        {
            if (pidfd >= 0)
            {
                LibC.close(pidfd);
            }
        }
    }

    /// <summary>The process runs the configured binary (directly, or as a script through its interpreter)
    /// with this runtime directory's wrapper as --script.</summary>
    internal bool IsOurOpenConnect(int pid)
    {
        var argv = ProcStat.ReadCommandLine(pid);
        if (argv.Count < 2)
        {
            return false;
        }

        var script = OpenConnectCommandLine.ScriptCommand(WrapperPath);
        var hasScript = false;
        for (var i = 0; i < argv.Count; i++)
        {
            if ((argv[i] == "--script" && i + 1 < argv.Count && argv[i + 1] == script) || argv[i] == "--script=" + script)
            {
                hasScript = true;
            }
        }
        if (!hasScript || !argv.Contains("--protocol=gp"))
        {
            return false;
        }

        var expected = RealPath(_options.Path);
        var executable = ProcStat.ReadExecutable(pid);
        if (executable is not null && RealPath(executable) == expected)
        {
            return true;
        }
        // "#!/bin/sh" stand-ins and wrappers: /proc/PID/exe is the interpreter, argv[1] the script.
        return executable is not null && RealPath(argv[0]) == RealPath(executable) && RealPath(argv[1]) == expected;
    }

    private static string RealPath(string path) => Native.RealPath(path) ?? path;

    private static unsafe void Signal(int pidfd, int pid, int signal)
    {
        if (pidfd >= 0)
        {
            Native.pidfd_send_signal(pidfd, signal, null, 0);
        }
        else
        {
            LibC.kill(pid, signal);
        }
    }

    private static async Task<bool> WaitForExitAsync(int pidfd, int pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasExited(pidfd, pid))
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(ExitPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static unsafe bool HasExited(int pidfd, int pid)
    {
        if (pidfd >= 0)
        {
            var poll = new pollfd { fd = pidfd, events = LibC.POLLIN };
            return LibC.poll(&poll, 1, 0) > 0;
        }
        return ProcStat.Read(pid) is null or { IsZombie: true };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
