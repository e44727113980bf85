using System.Globalization;
using System.Net;
using FakeGlobalProtect.Events;

namespace FakeGlobalProtect.Tests.Support;

/// <summary>The real fake-globalprotect program, run as a child process from the test's output folder.</summary>
public sealed class FakeProcess : IAsyncDisposable
{
    private FakeProcess(ChildProcess process, IPEndPoint endPoint, string pin)
    {
        Process = process;
        EndPoint = endPoint;
        Pin = pin;
    }

    public ChildProcess Process { get; }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>The server certificate pin, as openconnect --servercert takes it.</summary>
    public string Pin { get; }

    /// <summary>"127.0.0.1:PORT", what openconnect and clients are pointed at.</summary>
    public string Address => EndPoint.ToString();

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "fake-globalprotect.dll");

    public static async Task<FakeProcess> StartAsync(params string[] arguments)
    {
        var process = await ChildProcess.StartAsync("dotnet", [DllPath, "--listen", "127.0.0.1:0", .. arguments]);
        try
        {
            var listening = await process.WaitForStdoutAsync(l => l.StartsWith("listening ", StringComparison.Ordinal));
            var pin = await process.WaitForStdoutAsync(l => l.StartsWith("pin ", StringComparison.Ordinal));
            Assert.Equal(listening, process.StdoutLines[0]);
            Assert.Equal(pin, process.StdoutLines[1]);
            return new FakeProcess(process, IPEndPoint.Parse(listening["listening ".Length..]), pin["pin ".Length..]);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyList<FakeEvent> Events =>
        Process.StdoutLines.Select(l => FakeEvent.TryParse(l, out var e) ? e : null).OfType<FakeEvent>().ToList();

    public IReadOnlyList<FakeEvent> EventsNamed(string name) => Events.Where(e => e.Name == name).ToList();

    /// <summary>Waits for the <paramref name="count"/>-th event called <paramref name="name"/> that matches.</summary>
    public Task<FakeEvent> WaitForEventAsync(string name, Func<FakeEvent, bool>? match = null, int count = 1, TimeSpan? timeout = null) =>
        Process.WaitUntilAsync(lines =>
            lines.Select(l => FakeEvent.TryParse(l, out var e) ? e : null)
                .Where(e => e is not null && e.Name == name && (match?.Invoke(e) ?? true))
                .Skip(count - 1)
                .FirstOrDefault(), timeout);

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await Process.SignalAsync("TERM");
        return await Process.WaitForExitAsync();
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"fake at {Address}");
}
