using GpDaemon.Config;
using GpDaemon.Control;
using GpDaemon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Support;

/// <summary>A real control server on a Unix socket in a temp directory, over a dispatcher with a fake backend.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;

    private ServerHarness(ControlSettings settings)
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("gpdaemon-test-");
        string runtime = Path.Combine(_directory.FullName, "run");
        // The daemon prepares (and checks) the socket's directory before the server starts.
        System.IO.Directory.CreateDirectory(runtime);
        Paths = new DaemonPaths(Path.Combine(_directory.FullName, "gpdaemon.toml"), runtime,
            Path.Combine(_directory.FullName, "state"), Path.Combine(runtime, "gpdaemon.sock"));
        Server = new ControlServer(Paths, settings, Dispatch.Config, Dispatch.Dispatcher, TimeProvider.System, NullLogger<ControlServer>.Instance);
    }

    public DispatcherHarness Dispatch { get; } = new();

    public DaemonPaths Paths { get; }

    public ControlServer Server { get; }

    public string SocketPath => Paths.SocketPath;

    public string Directory => _directory.FullName;

    public static async Task<ServerHarness> StartAsync(ControlSettings? settings = null)
    {
        var harness = new ServerHarness(settings ?? new ControlSettings { MaxMessageBytes = 4096, IdleTimeout = TimeSpan.FromMinutes(5) });
        await harness.Server.StartAsync(Wait.Token());
        return harness;
    }

    public Task<RawClient> ConnectAsync() => RawClient.ConnectAsync(SocketPath);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Dispatch.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
