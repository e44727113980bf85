using System.Diagnostics;
using GpControl;

namespace GpDaemon.TestSupport;

/// <summary>A real gpdaemon process on its own runtime/state directories and socket.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly List<string> _output = [];
    private readonly Process _process;

    private DaemonProcess(Process process, string root, string? instance)
    {
        _process = process;
        Root = root;
        Instance = instance;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Root { get; }

    /// <summary>The instance name (--instance), null for the default daemon.</summary>
    public string? Instance { get; }

    /// <summary>As under systemd, an instance's directories are NAME/ inside the default daemon's.</summary>
    public string RuntimeDirectory => InstanceDirectory(Path.Combine(Root, "run"));

    public string StateDirectory => InstanceDirectory(Path.Combine(Root, "state"));

    private string InstanceDirectory(string directory) => Instance is null ? directory : Path.Combine(directory, Instance);

    public string SocketPath => Path.Combine(RuntimeDirectory, "gpdaemon.sock");

    public string PidFile => Path.Combine(RuntimeDirectory, "gpdaemon.pid");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts gpdaemon with files under <paramref name="root"/> (run/, state/, gpdaemon.toml).</summary>
    /// <param name="asUser">Run it as this user (through setpriv, which execs: the pid stays the daemon's); the user must own <paramref name="root"/>.</param>
    /// <param name="launcher">A command that runs its arguments by exec (so the pid stays the daemon's), e.g. unshare.</param>
    /// <param name="instance">Run it as this instance (--instance): config NAME.toml, run/NAME/ and state/NAME/ under <paramref name="root"/>.</param>
    public static DaemonProcess Start(string root, string config = "", IDictionary<string, string?>? environment = null, string? asUser = null,
        IReadOnlyList<string>? launcher = null, string? instance = null)
    {
        string configPath = Path.Combine(root, (instance ?? "gpdaemon") + ".toml");
        string own = instance ?? "";
        if (!File.Exists(configPath) || config.Length > 0)
        {
            File.WriteAllText(configPath, config);
        }
        string[] asUserPrefix = asUser is null ? [] : ["setpriv", $"--reuid={asUser}", $"--regid={asUser}", "--init-groups", "--"];
        string[] command = [.. launcher ?? [], .. asUserPrefix, Binaries.Daemon];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] instanceOption = instance is null ? [] : ["--instance", instance];
        foreach (string arg in (string[])[.. command[1..], .. instanceOption, "--config", configPath,
            "--runtime-dir", Path.Combine(root, "run", own), "--state-dir", Path.Combine(root, "state", own)])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        info.Environment.Remove("JOURNAL_STREAM");
        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        return new DaemonProcess(Process.Start(info)!, root, instance);
    }

    public static async Task<DaemonProcess> StartReadyAsync(string root, string config = "", IDictionary<string, string?>? environment = null,
        string? asUser = null, IReadOnlyList<string>? launcher = null, string? instance = null)
    {
        DaemonProcess daemon = Start(root, config, environment, asUser, launcher, instance);
        await daemon.WaitReadyAsync();
        return daemon;
    }

    /// <summary>Waits until the socket answers GetStatus; fails with the daemon's output if it exits instead.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"gpdaemon exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                await using VpnClient client = await VpnClient.ConnectAsync(SocketPath, Deadline.Token());
                await client.GetStatusAsync(Deadline.Token());
                return;
            }
            catch (Exception ex) when (ex is DaemonUnreachableException or IOException)
            {
                await Task.Delay(20);
            }
        }
        throw new TimeoutException($"gpdaemon did not answer on {SocketPath}:\n{Output}");
    }

    public Task<VpnClient> ClientAsync() => VpnClient.ConnectAsync(SocketPath, Deadline.Token());

    public async Task<VpnStatus> StatusAsync()
    {
        await using VpnClient client = await ClientAsync();
        return await client.GetStatusAsync(Deadline.Token());
    }

    /// <summary>Polls the status until it satisfies the condition (or fails with the last status and the log).</summary>
    public async Task<VpnStatus> WaitForStatusAsync(Func<VpnStatus, bool> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        VpnStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync();
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"status never matched; last: {last}\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd stops it, and the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        Signals.Send(Pid, Signals.SIGTERM);
        return WaitForExitAsync(timeout);
    }

    public async Task KillAsync()
    {
        Signals.Send(Pid, Signals.SIGKILL);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(Pid, Signals.SIGCONT);
            Signals.Send(Pid, Signals.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
