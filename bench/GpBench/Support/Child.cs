using System.Diagnostics;
using GpDaemon.TestSupport;

namespace GpBench.Support;

/// <summary>A child process whose output is drained line by line (kept, bounded, for error messages) and can be watched for a line.</summary>
internal sealed class Child : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly List<(string Text, TaskCompletionSource<long> Seen)> _watches = [];
    private readonly Dictionary<string, int> _tallies = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Child(Process process)
    {
        _process = process;
        // Exited, not Process.WaitForExitAsync: that one also waits for EOF on the output pipes, which a grandchild
        // that inherited them (openconnect's --script-tun handler) can hold open after the child is gone.
        process.Exited += (_, _) => _exited.TrySetResult();
        if (process.HasExited)
        {
            _exited.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <paramref name="program"/>; <paramref name="stdin"/>, if given, is written and closed at once.</summary>
    public static Child Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Whatever the benchmark runs under must not leak into what it measures.
        foreach (string name in (string[])["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID", "INVOCATION_ID"])
        {
            info.Environment.Remove(name);
        }
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Start();
        var child = new Child(process);
        if (stdin is not null)
        {
            child._process.StandardInput.Write(stdin);
        }
        child._process.StandardInput.Close();
        return child;
    }

    /// <summary>Completes with the Stopwatch timestamp at which a line containing <paramref name="text"/> was read.</summary>
    public Task<long> WhenLineAsync(string text)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                seen.TrySetResult(Stopwatch.GetTimestamp());
            }
            else
            {
                _watches.Add((text, seen));
            }
        }
        return seen.Task;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _exited.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _process.Kill(entireProcessTree: true);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout.TotalSeconds:0} s; it wrote:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGTERM (or <paramref name="signal"/>), then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, int? signal = null)
    {
        if (_process.HasExited)
        {
            return;
        }
        Signals.Send(_process.Id, signal ?? Signals.SIGTERM);
        try
        {
            await _exited.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    /// <summary>From now on, counts the lines that contain <paramref name="text"/> (kept lines are bounded, counts are not).</summary>
    public void Tally(string text)
    {
        lock (_lines)
        {
            _tallies.TryAdd(text, 0);
        }
    }

    public int Count(string text)
    {
        lock (_lines)
        {
            return _tallies.GetValueOrDefault(text);
        }
    }

    /// <summary>The processes whose parent this child is (from /proc: this kernel has no /proc/PID/task/TID/children).</summary>
    public IReadOnlyList<int> Children()
    {
        var children = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == _process.Id)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return children;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        long now = Stopwatch.GetTimestamp();
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
            foreach (string text in _tallies.Keys.ToArray())
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    _tallies[text]++;
                }
            }
            for (int i = _watches.Count - 1; i >= 0; i--)
            {
                if (line.Contains(_watches[i].Text, StringComparison.Ordinal))
                {
                    _watches[i].Seen.TrySetResult(now);
                    _watches.RemoveAt(i);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _process.Dispose();
    }
}
