using System.Diagnostics;

namespace Systemd.Tests.Support;

/// <summary>
/// The fake GlobalProtect portal+gateway (tests/FakeGlobalProtect) as a process on the host's 127.0.0.1. The
/// containers share the host's network namespace, so the daemon inside reaches it there.
/// </summary>
internal sealed class FakePortal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<(string Address, string Pin)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _address;

    private FakePortal(Process process, string password, string tunnelAddress)
    {
        _process = process;
        Password = password;
        TunnelAddress = tunnelAddress;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data is null ? null : "stderr " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>host:port, as `gpctl connect` and the portal setting take it.</summary>
    public string Address => _address ?? throw new InvalidOperationException("not started");

    public string Pin { get; private set; } = "";

    public const string User = "test";

    /// <summary>The password the fake accepts: unique per fake, so a test can look for it in logs.</summary>
    public string Password { get; }

    /// <summary>The tunnel address the gateway assigns: unique, because tunnel devices and routes made in a
    /// container land in the host's network namespace. The gateway's only route is this address.</summary>
    public string TunnelAddress { get; }

    /// <param name="delayMs">Delay before every HTTP reply (logins, logout): makes a logout slow enough to interrupt.</param>
    public static async Task<FakePortal> StartAsync(int delayMs = 0)
    {
        string password = UniqueName.Next("pw-");
        string address = UniqueName.TunnelAddress();
        var info = new ProcessStartInfo(Repository.FakePortal)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["--listen", "127.0.0.1:0", "--scenario", "password", "--user", User, "--password", password,
            "--ip", address, "--route", address + "/32", "--delay-ms", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }
        var fake = new FakePortal(Process.Start(info)!, password, address);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            (fake._address, fake.Pin) = await fake._ready.Task.WaitAsync(cts.Token);
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
        return fake;
    }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines.Where(l => l.StartsWith("event ", StringComparison.Ordinal))];
            }
        }
    }

    /// <summary>Lines "event NAME k=v..." for one event name.</summary>
    public IReadOnlyList<string> EventsNamed(string name) =>
        [.. Events.Where(e => e == $"event {name}" || e.StartsWith($"event {name} ", StringComparison.Ordinal))];

    public async Task<string> WaitForEventAsync(string name, int occurrence = 1)
    {
        IReadOnlyList<string> matching = await Poll.UntilAsync(() => Task.FromResult(EventsNamed(name)), list => list.Count >= occurrence,
            $"the fake portal to log '{name}' (x{occurrence})", _ => "it logged:\n" + string.Join('\n', Events));
        return matching[occurrence - 1];
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
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
