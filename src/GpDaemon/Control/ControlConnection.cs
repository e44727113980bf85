using System.Net.Sockets;
using GpControl.Varlink;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Logging;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Control;

/// <summary>
/// One client: reads calls, answers them in order. Idle clients are closed after the idle timeout, clients that do not
/// read their replies after the write timeout, and malformed or oversized input closes the connection.
/// </summary>
internal sealed partial class ControlConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly VarlinkConnection _connection;
    private readonly ControlSettings _settings;
    private readonly ControlDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();

    public ControlConnection(Socket socket, PeerCredentials? peer, ControlSettings settings, ControlDispatcher dispatcher, ILogger logger)
    {
        _socket = socket;
        Peer = peer;
        _settings = settings;
        _dispatcher = dispatcher;
        _logger = logger;
        _connection = new VarlinkConnection(new NetworkStream(socket, ownsSocket: true), settings.MaxMessageBytes);
    }

    public PeerCredentials? Peer { get; }

    public void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own between the server's snapshot and this call: nothing left to abort.
        }
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _aborted.Token);
        CancellationToken cancellationToken = lifetime.Token;
        Task<VarlinkCall?>? pending = null;
        try
        {
            while (true)
            {
                VarlinkCall? call;
                if (pending is not null)
                {
                    // The read began while the previous call streamed; the idle limit applies from now on.
                    try
                    {
                        call = await pending.WaitAsync(_settings.IdleTimeout, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        LogIdle(_logger, Peer?.Uid, Peer?.Pid);
                        return;
                    }
                    pending = null;
                }
                else
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(_settings.IdleTimeout);
                    try
                    {
                        call = await ReadCallAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        LogIdle(_logger, Peer?.Uid, Peer?.Pid);
                        return;
                    }
                }
                if (call is null)
                {
                    return;
                }
                pending = await AnswerAsync(call, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (VarlinkProtocolException ex)
        {
            LogProtocolError(_logger, Peer?.Uid, Peer?.Pid, ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, was too slow, or the daemon is stopping.
        }
        catch (SubscriberTooSlowException)
        {
            LogTooSlow(_logger, Peer?.Uid, Peer?.Pid);
        }
        catch (Exception ex)
        {
            // Whatever it was, it ends this client only; say so instead of losing it in an unobserved task.
            LogUnexpected(_logger, Peer?.Uid, Peer?.Pid, ex);
        }
        finally
        {
            if (pending is not null)
            {
                await _aborted.CancelAsync().ConfigureAwait(false);
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The read was only watching for the client closing.
                }
            }
        }
    }

    /// <summary>
    /// Sends the replies of one call. While a call streams, the next read runs alongside it: a client that hangs up
    /// ends the stream, and a call it sends meanwhile is returned to be answered next, in order.
    /// </summary>
    private async Task<Task<VarlinkCall?>?> AnswerAsync(VarlinkCall call, CancellationToken cancellationToken)
    {
        using var callScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<VarlinkCall?>? next = null;
        await using IAsyncEnumerator<byte[]> replies = _dispatcher.HandleAsync(call, Peer, callScope.Token).GetAsyncEnumerator(callScope.Token);
        while (true)
        {
            ValueTask<bool> move = replies.MoveNextAsync();
            if (!move.IsCompleted)
            {
                next ??= ReadCallAsync(cancellationToken);
                Task moved = move.AsTask();
                Task first = await Task.WhenAny(moved, next).ConfigureAwait(false);
                if (first == next && next.IsCompletedSuccessfully && next.Result is null && call.More)
                {
                    // The client hung up mid-stream. (A plain call still finishes: a client that only shut down its
                    // sending side, as `printf ... | socat` does, is still waiting for the reply.)
                    await callScope.CancelAsync().ConfigureAwait(false);
                }
                else if (first == next && !next.IsCompletedSuccessfully)
                {
                    await callScope.CancelAsync().ConfigureAwait(false);
                }
                try
                {
                    if (!await ((Task<bool>)moved).ConfigureAwait(false))
                    {
                        return next;
                    }
                }
                catch (OperationCanceledException) when (callScope.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return next;
                }
            }
            else if (!await move.ConfigureAwait(false))
            {
                return next;
            }
            if (!call.Oneway)
            {
                using var write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                write.CancelAfter(_settings.WriteTimeout);
                await _connection.WriteAsync(replies.Current, write.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task<VarlinkCall?> ReadCallAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>? message = await _connection.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        return message is null ? null : VarlinkCall.Parse(message.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _aborted.Dispose();
    }

    [LoggerMessage(EventId = EventIds.ConnectionIdle, Level = LogLevel.Debug, Message = "Closed an idle control connection from uid {Uid} (pid {Pid})")]
    private static partial void LogIdle(ILogger logger, uint? uid, int? pid);

    [LoggerMessage(EventId = EventIds.ConnectionProtocolError, Level = LogLevel.Warning, Message = "Closed a control connection from uid {Uid} (pid {Pid}): {Problem}")]
    private static partial void LogProtocolError(ILogger logger, uint? uid, int? pid, string problem);

    [LoggerMessage(EventId = EventIds.ConnectionUnexpectedError, Level = LogLevel.Error, Message = "Closed a control connection from uid {Uid} (pid {Pid}) after an unexpected error")]
    private static partial void LogUnexpected(ILogger logger, uint? uid, int? pid, Exception exception);

    [LoggerMessage(EventId = EventIds.ConnectionTooSlow, Level = LogLevel.Warning, Message = "Closed a control connection from uid {Uid} (pid {Pid}): it did not read its replies")]
    private static partial void LogTooSlow(ILogger logger, uint? uid, int? pid);
}
