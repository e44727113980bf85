using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.RealOpenConnect;

/// <summary>
/// The project's fake GlobalProtect portal+gateway (tests/FakeGlobalProtect), run as a process:
/// `fake-globalprotect --listen 127.0.0.1:0 [--scenario NAME]` prints its address, its certificate pin,
/// then one `event NAME k=v...` line per thing a client did.
/// </summary>
internal sealed partial class FakeGlobalProtect : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly Task _reader;

    private FakeGlobalProtect(Process process)
    {
        _process = process;
        _reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
                _lineArrived.Release();
            }
        });
    }

    public string Address { get; private set; } = "";

    public string Pin { get; private set; } = "";

    /// <summary>
    /// FAKE_GLOBALPROTECT, else fake-globalprotect in GPDAEMON_OUT or OUT (the Makefile's, relative to the repository),
    /// else in &lt;repo&gt;/out; null when none exists.
    /// </summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("FAKE_GLOBALPROTECT") is { Length: > 0 } configured && File.Exists(configured))
            return configured;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GpDaemon.sln")))
            {
                var outDirectory = Environment.GetEnvironmentVariable("GPDAEMON_OUT") is { Length: > 0 } gpdaemonOut ? Path.GetFullPath(gpdaemonOut)
                    : Environment.GetEnvironmentVariable("OUT") is { Length: > 0 } makeOut ? Path.GetFullPath(makeOut, directory.FullName)
                    : Path.Combine(directory.FullName, "out");
                var built = Path.Combine(outDirectory, "fake-globalprotect");
                return File.Exists(built) ? built : null;
            }
        }
        return null;
    }

    public static async Task<FakeGlobalProtect> StartAsync(string? scenario = null)
    {
        var path = Locate() ?? throw new InvalidOperationException("fake-globalprotect not found");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--listen", "127.0.0.1:0" },
        };
        if (scenario is not null)
        {
            start.ArgumentList.Add("--scenario");
            start.ArgumentList.Add(scenario);
        }
        var fake = new FakeGlobalProtect(Process.Start(start)!);
        fake.Address = (await fake.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal)))["listening ".Length..];
        fake.Pin = (await fake.WaitForLineAsync(l => l.StartsWith("pin ", StringComparison.Ordinal)))["pin ".Length..];
        return fake;
    }

    /// <summary>Waits (bounded, never timed) for `event NAME ...` and returns the line.</summary>
    public Task<string> WaitForEventAsync(string name) =>
        WaitForLineAsync(l => l.StartsWith($"event {name} ", StringComparison.Ordinal) || l == $"event {name}");

    /// <summary>Waits (bounded) for the <paramref name="occurrence"/>th `event NAME ...` since the start.</summary>
    public Task<string> WaitForEventAsync(string name, int occurrence)
    {
        int seen = 0;
        return WaitForLineAsync(l => (l.StartsWith($"event {name} ", StringComparison.Ordinal) || l == $"event {name}") && ++seen == occurrence);
    }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>Logs in as test/secret with the real openconnect (--authenticate) and returns the cookie.</summary>
    public async Task<string> AuthenticateAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/openconnect")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--protocol=gp", "--authenticate", "--non-inter", "--passwd-on-stdin", "-u", "test",
                "--servercert", Pin, Address,
            },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("secret");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(EventReader.Patience);
        await process.WaitForExitAsync(timeout.Token);
        var match = CookiePattern().Match(await output);
        return match.Success
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"openconnect --authenticate failed: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        await _reader;
        _process.Dispose();
    }

    private async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(EventReader.Patience);
        var seen = 0;
        while (true)
        {
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (match(lines[seen]))
                    return lines[seen];
            }
            await _lineArrived.WaitAsync(timeout.Token);
        }
    }

    [GeneratedRegex("^COOKIE='([^']*)'$", RegexOptions.Multiline)]
    private static partial Regex CookiePattern();
}
