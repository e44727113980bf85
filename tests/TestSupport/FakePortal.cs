using System.Diagnostics;

namespace GpDaemon.TestSupport;

/// <summary>The fake GlobalProtect portal+gateway (tests/FakeGlobalProtect) as a real process on 127.0.0.1.</summary>
public sealed class FakePortal : IAsyncDisposable
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

    /// <summary>The user the fake accepts.</summary>
    public const string User = "test";

    /// <summary>The password the fake accepts (its --password, else its default).</summary>
    public string Password { get; private init; } = "secret";

    /// <summary>The tunnel address the gateway assigns (its --ip, else its default).</summary>
    public string TunnelAddress { get; private init; } = "10.99.0.2";

    public static Task<FakePortal> StartAsync(string scenario = "password", params string[] extra) =>
        StartAsync(Binaries.FakePortal, scenario, extra, CancellationToken.None);

    /// <summary>Starts the fake built at <paramref name="program"/> (bench/ is told where its binaries are) with a scenario and more options.</summary>
    /// <param name="listen">Where it listens (port 0: it picks one).</param>
    /// <param name="launcher">A command that runs its arguments by exec, e.g. `ip netns exec NAME` to listen inside a namespace.</param>
    public static async Task<FakePortal> StartAsync(string program, string scenario, string[] extra, CancellationToken cancellationToken,
        string listen = "127.0.0.1:0", IReadOnlyList<string>? launcher = null)
    {
        string? Option(string name) => Array.IndexOf(extra, name) is int i and >= 0 && i + 1 < extra.Length ? extra[i + 1] : null;
        string[] command = [.. launcher ?? [], program];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[.. command[1..], "--listen", listen, "--scenario", scenario, .. extra])
        {
            info.ArgumentList.Add(arg);
        }
        var fake = new FakePortal(Process.Start(info)!)
        {
            Password = Option("--password") ?? "secret",
            TunnelAddress = Option("--ip") ?? "10.99.0.2",
        };
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            (fake._address, fake.Pin) = await fake._ready.Task.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await fake.DisposeAsync();
            throw new TimeoutException("the fake portal did not start within 30 s; it wrote:\n" + string.Join('\n', fake.Events));
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
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

    /// <summary>Lines "event NAME k=v..." for one event name.</summary>
    public IReadOnlyList<string> EventsNamed(string name) =>
        [.. Events.Where(e => e == $"event {name}" || e.StartsWith($"event {name} ", StringComparison.Ordinal))];

    public int Count(string name) => EventsNamed(name).Count;

    /// <summary>The <paramref name="occurrence"/>th "event NAME ..." line, once the fake has logged it.</summary>
    public async Task<string> WaitForEventAsync(string name, int occurrence = 1, TimeSpan? timeout = null)
    {
        IReadOnlyList<string> matching = await Poll.UntilAsync(() => Task.FromResult(EventsNamed(name)), list => list.Count >= occurrence,
            $"the fake portal to log '{name}' (x{occurrence})", _ => "it logged:\n" + string.Join('\n', Events), timeout ?? TimeSpan.FromSeconds(30));
        return matching[occurrence - 1];
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
