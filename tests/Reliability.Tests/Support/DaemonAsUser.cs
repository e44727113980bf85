using System.Diagnostics;
using GpControl;

namespace Reliability.Tests.Support;

/// <summary>
/// A real gpdaemon run as an unprivileged user (through setpriv, which execs: the pid is the daemon's), on its own
/// directories under <paramref name="root"/>, which that user must own.
/// </summary>
internal sealed class DaemonAsUser : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DaemonAsUser(Process process, string root)
    {
        _process = process;
        SocketPath = Path.Combine(root, "run", "gpdaemon.sock");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string SocketPath { get; }

    public bool HasExited => _process.HasExited;

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

    public static async Task<DaemonAsUser> StartReadyAsync(string root, string user)
    {
        string config = Path.Combine(root, "gpdaemon.toml");
        await File.WriteAllTextAsync(config, "");
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[$"--reuid={user}", $"--regid={user}", "--init-groups", "--", Binaries.Daemon,
            "--config", config, "--runtime-dir", Path.Combine(root, "run"), "--state-dir", Path.Combine(root, "state")])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        info.Environment.Remove("JOURNAL_STREAM");
        var daemon = new DaemonAsUser(Process.Start(info)!, root);
        try
        {
            await Poll.UntilAsync(daemon.AnswersAsync, answers => answers, "gpdaemon to answer on " + daemon.SocketPath,
                _ => daemon.Output, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    private async Task<bool> AnswersAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"gpdaemon exited with {_process.ExitCode} before it was ready:\n{Output}");
        }
        try
        {
            await using VpnClient client = await VpnClient.ConnectAsync(SocketPath, CancellationToken.None);
            await client.GetStatusAsync(CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is DaemonUnreachableException or IOException)
        {
            return false;
        }
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
            Signals.Send(Pid, Signals.SIGTERM);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
