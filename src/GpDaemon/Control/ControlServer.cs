using System.Net.Sockets;
using System.Security.Cryptography;
using GpDaemon.Config;
using GpDaemon.Logging;
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
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        // Bound under a fresh name in the socket's directory (checked at start: only root or we can write there), made
        // 0666 there, then renamed into place: a socket file a leftover of a dead daemon (we hold the instance lock) is
        // replaced in one step, and no chmod ever goes through the public name.
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(temporary));
            // Everyone may connect; the daemon decides per call from the peer's credentials.
            File.SetUnixFileMode(temporary, (UnixFileMode)0x1b6 /* 0666 */);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            listener.Dispose();
            File.Delete(temporary);
            throw;
        }
        // A burst of clients (status bars polling, scripts) queues in the backlog rather than failing with EAGAIN:
        // with 128, 200 simultaneous connects saw thousands of refusals. Room for everyone who may wait for a slot; the
        // kernel caps it at net.core.somaxconn (4096 by default).
        listener.Listen(Math.Max(ConnectionLimits.DefaultMaxWaiting * 2, settings.MaxConnections));
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
            AdmissionTicket? ticket = _limits.Enter(peer, AccessPolicy.Of(config).RankOf(peer));
            if (ticket is null)
            {
                Refused($"{ConnectionLimits.DefaultMaxWaiting} waiting connections ({ConnectionLimits.DefaultMaxWaitingPerUser} per user)", peer);
                client.Dispose();
                continue;
            }
            _ = RunConnectionAsync(client, peer, ticket, cancellationToken);
            // With a full backlog every accept completes at once and this loop would run on, while the connections that
            // answered and only wait to see their client's EOF queue behind it still counted as open. Take a turn.
            await Task.Yield();
        }
    }

    private async Task RunConnectionAsync(Socket client, PeerCredentials? peer, AdmissionTicket ticket, CancellationToken cancellationToken)
    {
        if (!await WaitForSlotAsync(ticket, cancellationToken).ConfigureAwait(false))
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Refused($"{_limits.MaxConnections} connections, after waiting {settings.IdleTimeout.TotalSeconds:0} s for one", peer);
            }
            client.Dispose();
            return;
        }
        var connection = new ControlConnection(client, peer, settings, dispatcher, logger);
        lock (_connections)
        {
            _connections.Add(connection);
        }
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
            _limits.Release(ticket);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A connection over the limit is accepted but not served until a slot frees (its call waits in the socket), for at
    /// most the idle timeout. True when it got a slot.
    /// </summary>
    private async Task<bool> WaitForSlotAsync(AdmissionTicket ticket, CancellationToken cancellationToken)
    {
        if (ticket.Admitted.IsCompleted)
        {
            return await ticket.Admitted.ConfigureAwait(false);
        }
        try
        {
            return await ticket.Admitted.WaitAsync(settings.IdleTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (_limits.Withdraw(ticket))
            {
                return false;
            }
            // Admitted at the last moment: the slot is ours and goes back at once.
            _limits.Release(ticket);
            return false;
        }
    }

    /// <summary>A flood of refused connections is one log line per interval, not one per connection.</summary>
    private void Refused(string limit, PeerCredentials? peer)
    {
        lock (_connections)
        {
            _refusedSinceLog++;
            DateTimeOffset now = time.GetUtcNow();
            if (now - _lastRefusalLog < RefusalLogInterval)
            {
                return;
            }
            LogRefused(logger, _refusedSinceLog, limit, peer?.Uid, peer?.Pid);
            _lastRefusalLog = now;
            _refusedSinceLog = 0;
        }
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

    [LoggerMessage(EventId = EventIds.Listening, Level = LogLevel.Information, Message = "Listening on {SocketPath}")]
    private static partial void LogListening(ILogger logger, string socketPath);

    [LoggerMessage(EventId = EventIds.AcceptFailed, Level = LogLevel.Warning, Message = "Accepting a control connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.ConnectionsRefused, Level = LogLevel.Warning, Message = "Refused {Count} control connection(s) at the limit of {Limit}; the latest from uid {Uid} (pid {Pid})")]
    private static partial void LogRefused(ILogger logger, int count, string limit, uint? uid, int? pid);
}
