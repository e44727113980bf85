using System.Diagnostics;
using System.Text;

namespace GpDaemon.TestSupport;

/// <summary>
/// A program that keeps running while the test talks to it (gpctl watch, a terminal session): its output as it comes,
/// its stdin, and a bounded wait for what it prints. Disposing stops it.
/// </summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;

    private RunningProgram(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    public static RunningProgram Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(Process.Start(Run.StartInfo(fileName, args, environment))!);

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Writes to its stdin as typed (unbuffered).</summary>
    public async Task TypeAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until stdout and stderr together satisfy <paramref name="done"/> (bounded against a hang).</summary>
    public Task WaitForOutputAsync(Func<string, bool> done, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Task.FromResult(Stdout + Stderr), done, what, text => text, timeout ?? TimeSpan.FromSeconds(60));

    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        WaitForOutputAsync(output => output.Contains(text, StringComparison.Ordinal), $"'{text}' in the output", timeout);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await _readers.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit:\n{Stdout}\n{Stderr}");
        }
        return _process.ExitCode;
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        char[] buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, n);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Dispose();
    }
}
