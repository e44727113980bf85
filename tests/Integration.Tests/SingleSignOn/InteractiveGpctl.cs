using System.Diagnostics;
using System.Text;
using GpDaemon.TestSupport;

namespace Integration.Tests.SingleSignOn;

/// <summary>gpctl running while the test talks to it: stdin kept open, output collected, a bound on every wait.</summary>
internal sealed class InteractiveGpctl : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private InteractiveGpctl(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <param name="asUser">Run as this user (runuser), not as root.</param>
    public static InteractiveGpctl Start(string socket, IReadOnlyDictionary<string, string?>? environment, string? asUser, params string[] args)
    {
        var info = new ProcessStartInfo(asUser is null ? Binaries.Ctl : "runuser")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] prefix = asUser is null ? [] : ["-u", asUser, "--", Binaries.Ctl];
        foreach (string arg in (string[])[.. prefix, "--socket", socket, .. args])
        {
            info.ArgumentList.Add(arg);
        }
        // No desktop unless a test gives one: gpctl must not find a browser by accident.
        info.Environment.Remove("DISPLAY");
        info.Environment.Remove("WAYLAND_DISPLAY");
        info.Environment.Remove("BROWSER");
        info.Environment["HOME"] = "/tmp";
        info.Environment["DOTNET_CLI_HOME"] = "/tmp";
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        return new InteractiveGpctl(Process.Start(info)!);
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"gpctl did not finish.\nstdout: {Stdout}\nstderr: {Stderr}");
        }
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    /// <summary>Waits until stderr or stdout holds <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Task.FromResult(Stdout + Stderr), all => all.Contains(text), $"gpctl to print \"{text}\"",
            timeout: timeout ?? TimeSpan.FromSeconds(30));

    public override string ToString() => $"stdout: {Stdout}\nstderr: {Stderr}";

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            buffer.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
