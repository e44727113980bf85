using System.Diagnostics;

namespace Integration.Tests.Support;

/// <summary>The fake GlobalProtect portal+gateway (tests/FakeGlobalProtect) as a real process on 127.0.0.1.</summary>
internal sealed class FakePortal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _events = [];
    private readonly TaskCompletionSource<(string Address, string Pin)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _address;

    private FakePortal(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data is null ? null : "stderr " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>host:port to give gpctl connect.</summary>
    public string Address => _address ?? throw new InvalidOperationException("not started");

    public string Pin { get; private set; } = "";

    public int Pid => _process.Id;

    public static async Task<FakePortal> StartAsync(string scenario = "password", params string[] extra)
    {
        var info = new ProcessStartInfo(Binaries.FakePortal)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["--listen", "127.0.0.1:0", "--scenario", scenario, .. extra])
        {
            info.ArgumentList.Add(arg);
        }
        var fake = new FakePortal(Process.Start(info)!);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (string address, string pin) = await fake._ready.Task.WaitAsync(cts.Token);
        fake._address = address;
        fake.Pin = pin;
        return fake;
    }

    /// <summary>The config lines that make gpdaemon trust this fake and run the tunnel unprivileged.</summary>
    public string Config(string extra = "") => $"""
        servercert = "{Pin}"
        {extra}

        [openconnect]
        script_tun = true
        """;

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public int Count(string eventName) => Events.Count(e => e.StartsWith($"event {eventName}", StringComparison.Ordinal)
        && (e.Length == 6 + eventName.Length || e[6 + eventName.Length] == ' '));

    public async Task<string> WaitForEventAsync(string eventName, TimeSpan? timeout = null, int occurrence = 1)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            string[] matching = [.. Events.Where(e => e.StartsWith($"event {eventName}", StringComparison.Ordinal))];
            if (matching.Length >= occurrence)
            {
                return matching[occurrence - 1];
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"the fake portal never logged '{eventName}' (x{occurrence}); it logged:\n{string.Join('\n', Events)}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_events)
        {
            _events.Add(line);
        }
        if (line.StartsWith("listening ", StringComparison.Ordinal))
        {
            _address = line["listening ".Length..].Trim();
        }
        else if (line.StartsWith("pin ", StringComparison.Ordinal) && _address is not null)
        {
            _ready.TrySetResult((_address, line["pin ".Length..].Trim()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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
