using System.Net.Sockets;
using GpDaemon.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Control;

/// <summary>
/// The control socket. Bound and listening inside StartAsync, so that the host reports READY=1 only once clients
/// can connect. Connections are bounded; each runs on its own, so a slow or idle client never blocks another.
/// </summary>
internal sealed partial class ControlServer(
    DaemonPaths paths,
    ControlSettings settings,
    ConfigStore config,
    ControlDispatcher dispatcher,
    TimeProvider time,
    ILogger<ControlServer> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConnectionLimits _limits = new(settings.MaxConnections, settings.MaxConnectionsPerUser);
    private DateTimeOffset _lastRefusalLog = DateTimeOffset.MinValue;
    private int _refusedSinceLog;
    private readonly HashSet<ControlConnection> _connections = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = paths.SocketPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // We hold the instance lock, so a socket file here is a leftover of a dead daemon.
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        // Everyone may connect; the daemon decides per call from the peer's credentials.
        File.SetUnixFileMode(path, (UnixFileMode)0x1b6 /* 0666 */);
        // A burst of clients (status bars polling, scripts) queues in the backlog rather than failing with EAGAIN:
        // with 128, 200 simultaneous connects saw thousands of refusals. The kernel caps it at net.core.somaxconn.
        listener.Listen(Math.Max(512, settings.MaxConnections));
        _listener = listener;
        LogListening(logger, path);
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: log, back off a little, keep serving.
                LogAcceptFailed(logger, ex.SocketErrorCode.ToString());
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                continue;
            }
            PeerCredentials? peer = PeerCredentials.TryRead(client);
            AdmissionResult admission = _limits.TryAdmit(peer, config.Access.MayControl(peer));
            if (admission != AdmissionResult.Admitted)
            {
                Refused(admission, peer);
                client.Dispose();
                continue;
            }
            var connection = new ControlConnection(client, peer, settings, dispatcher, logger);
            lock (_connections)
            {
                _connections.Add(connection);
            }
            _ = RunConnectionAsync(connection, cancellationToken);
            // With a full backlog every accept completes at once and this loop would run on, while the connections that
            // answered and only wait to see their client's EOF queue behind it still counted as open: under a burst of
            // short connections the count passed max_connections and live clients were refused. Take a turn in the queue.
            await Task.Yield();
        }
    }

    private async Task RunConnectionAsync(ControlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(connection);
            }
            _limits.Release(connection.Peer);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A flood of refused connections is one log line per interval, not one per connection.</summary>
    private void Refused(AdmissionResult why, PeerCredentials? peer)
    {
        _refusedSinceLog++;
        DateTimeOffset now = time.GetUtcNow();
        if (now - _lastRefusalLog < RefusalLogInterval)
        {
            return;
        }
        string limit = why == AdmissionResult.TooManyForUser
            ? $"{_limits.MaxPerUser} connections per user"
            : $"{_limits.MaxConnections} connections";
        LogRefused(logger, _refusedSinceLog, limit, peer?.Uid, peer?.Pid);
        _lastRefusalLog = now;
        _refusedSinceLog = 0;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        ControlConnection[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }
        foreach (ControlConnection connection in open)
        {
            connection.Abort();
        }
        try
        {
            File.Delete(paths.SocketPath);
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Listening on {SocketPath}")]
    private static partial void LogListening(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Accepting a control connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Refused {Count} control connection(s) at the limit of {Limit}; the latest from uid {Uid} (pid {Pid})")]
    private static partial void LogRefused(ILogger logger, int count, string limit, uint? uid, int? pid);
}
