using System.Diagnostics;

namespace GpBench.Support;

/// <summary>gpdaemon started as systemd would start a Type=notify service: NOTIFY_SOCKET set, its own runtime and state directories.</summary>
internal sealed class Daemon : IAsyncDisposable
{
    private readonly Child _child;
    private readonly NotifySocket _notify;

    private Daemon(Child child, NotifySocket notify, string root, string runtimeDirectory, TimeSpan startToReady)
    {
        _child = child;
        _notify = notify;
        Root = root;
        RuntimeDirectory = runtimeDirectory;
        StartToReady = startToReady;
    }

    public string Root { get; }

    /// <summary>
    /// On tmpfs when the machine has /dev/shm, as /run is under systemd: the wrapper script and pid file written
    /// there at every connect are then as cheap as in production, not an fsync on a shared disk.
    /// </summary>
    public string RuntimeDirectory { get; }

    public string SocketPath => System.IO.Path.Combine(RuntimeDirectory, "gpdaemon.sock");

    public int Pid => _child.Pid;

    /// <summary>From just before fork/exec to the READY=1 datagram.</summary>
    public TimeSpan StartToReady { get; }

    public string Output => _child.Output;

    public void Tally(string text) => _child.Tally(text);

    public int Count(string text) => _child.Count(text);

    /// <param name="daemonPath">gpdaemon, or a launcher that execs it with the same arguments (into a network namespace).</param>
    /// <param name="environment">Variables set besides NOTIFY_SOCKET (the system bus's address).</param>
    public static async Task<Daemon> StartAsync(string daemonPath, string root, string config, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        Directory.CreateDirectory(root);
        string runtimeDirectory = Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory($"/dev/shm/gpbench-run-{Environment.ProcessId}-{Guid.NewGuid():N}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName
            : System.IO.Path.Combine(root, "run");
        string configPath = System.IO.Path.Combine(root, "gpdaemon.toml");
        await File.WriteAllTextAsync(configPath, config, cancellationToken).ConfigureAwait(false);
        var notify = new NotifySocket(System.IO.Path.Combine(root, "notify.sock"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        Task<long> ready = notify.WaitForAsync("READY=1", limit.Token);
        long started = Stopwatch.GetTimestamp();
        Child child = Child.Start(daemonPath,
            ["--config", configPath, "--runtime-dir", runtimeDirectory, "--state-dir", System.IO.Path.Combine(root, "state")],
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["NOTIFY_SOCKET"] = notify.Path });
        long arrived;
        try
        {
            arrived = await ready.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string output = child.Output;
            await child.DisposeAsync().ConfigureAwait(false);
            notify.Dispose();
            throw new TimeoutException($"gpdaemon sent no READY=1 within 30 s; it wrote:\n{output}");
        }
        return new Daemon(child, notify, root, runtimeDirectory, Stopwatch.GetElapsedTime(started, arrived));
    }

    public async ValueTask DisposeAsync()
    {
        await _child.DisposeAsync().ConfigureAwait(false);
        _notify.Dispose();
        if (RuntimeDirectory.StartsWith("/dev/shm/", StringComparison.Ordinal))
        {
            Directory.Delete(RuntimeDirectory, recursive: true);
        }
    }
}
