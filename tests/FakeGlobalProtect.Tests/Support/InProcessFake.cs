using FakeGlobalProtect.Options;
using FakeGlobalProtect.Server;
using FakeGlobalProtect.Tls;

namespace FakeGlobalProtect.Tests.Support;

/// <summary>The fake's server running inside the test process, for wire-level tests that want its events directly.</summary>
public sealed class InProcessFake : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private InProcessFake(FakeServer server, string pin, RecordingEventSink events)
    {
        Server = server;
        Pin = pin;
        Events = events;
        _run = server.RunAsync(_stop.Token);
    }

    public FakeServer Server { get; }

    public string Pin { get; }

    public RecordingEventSink Events { get; }

    public static InProcessFake Start(params string[] arguments)
    {
        var options = FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", .. arguments]);
        var certificate = ServerCertificate.CreateSelfSigned();
        var events = new RecordingEventSink();
        return new InProcessFake(FakeServer.Start(options, certificate, events), ServerCertificate.Pin(certificate), events);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        Server.Dispose();
        _stop.Dispose();
    }
}
