using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FakeGlobalProtect.Tests.Support;

/// <summary>
/// A real child process whose stdout and stderr lines are collected as they arrive, so a test can wait
/// for a line, signal the process by its pid and read its exit code.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    public IReadOnlyList<string> StderrLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stderr];
            }
        }
    }

    public string Stdout => string.Join('\n', StdoutLines);

    public string Stderr => string.Join('\n', StderrLines);

    /// <summary>Starts <paramref name="fileName"/>; writes <paramref name="stdin"/> (if any) and closes its stdin.</summary>
    public static async Task<ChildProcess> StartAsync(
        string fileName, IEnumerable<string> arguments, string? stdin = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(child._stdout, child._stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(child._stderr, child._stderrClosed, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        return child;
    }

    /// <summary>Waits for a stdout line matching <paramref name="match"/> (lines seen before count too).</summary>
    public Task<string> WaitForStdoutAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        WaitUntilAsync(lines => lines.FirstOrDefault(match), timeout);

    /// <summary>
    /// Calls <paramref name="probe"/> with all stdout lines so far, again after every new line, until it
    /// returns non-null; fails when stdout closes first or the timeout passes.
    /// </summary>
    public async Task<T> WaitUntilAsync<T>(Func<IReadOnlyList<string>, T?> probe, TimeSpan? timeout = null)
        where T : class
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            bool closed;
            lock (_gate)
            {
                changed = _changed.Task;
                closed = _stdoutClosed.Task.IsCompleted;
            }
            if (probe(StdoutLines) is { } found)
            {
                return found;
            }

            if (closed)
            {
                throw new InvalidOperationException($"stdout closed first.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not seen in time.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }
        }
    }

    /// <summary>Sends a signal to this process only (by pid), e.g. "TERM", "HUP".</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, Pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {Pid} failed");
        }
    }

    /// <summary>Waits for the exit and for all output; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {Pid} did not exit.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SignalAsync("TERM");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private void OnLine(List<string> lines, TaskCompletionSource closed, string? line)
    {
        lock (_gate)
        {
            if (line is null)
            {
                closed.TrySetResult();
            }
            else
            {
                lines.Add(line);
            }

            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }
}
