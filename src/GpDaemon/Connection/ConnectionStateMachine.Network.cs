using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

/// <summary>
/// Events from outside the tunnel: a request to reconnect now (a resume, a new route) and the network going and
/// coming back. Each is one move of <see cref="ConnectionTransitions"/>; a reconnect in progress absorbs the next
/// request, so that a burst of events never makes a second openconnect or a reconnect storm.
/// </summary>
internal sealed partial class ConnectionStateMachine
{
    internal const string WaitingForNetwork = "waiting for the network";
    internal const string NetworkBack = "the network is back";

    private bool _networkAvailable = true;

    // Completed (and replaced) at every change of _networkAvailable: wakes an attempt waiting for the network or in
    // its reconnect delay.
    private TaskCompletionSource _networkChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool IsNetworkAvailable
    {
        get
        {
            lock (_gate)
            {
                return _networkAvailable;
            }
        }
    }

    /// <summary>
    /// Makes a working tunnel reconnect now with the same login (openconnect keeps running), showing
    /// Reconnecting with <paramref name="reason"/> until it is up again. Absorbed while a login, a tunnel start or a
    /// reconnect is in progress; nothing happens without a connection.
    /// </summary>
    public void RequestReconnect(string reason)
    {
        lock (_gate)
        {
            if (_attempt is { } attempt && IsCurrent(attempt) && attempt.Tunnel is { } tunnel
                && Transition(ConnectionEvent.ReconnectRequested, s => s with { Message = reason }, null, attempt.OwnerUid))
            {
                LogReconnectRequested(_logger, attempt.Request.Portal, reason);
                // A signal, not a wait: openconnect reports the tunnel up again (or its exit) through its events.
                tunnel.RequestReconnect(reason);
            }
            else
            {
                LogReconnectAbsorbed(_logger, reason, _current.Status.State.ToString());
            }
        }
    }

    /// <summary>
    /// The machine has no network any more (no default route): the connection shows Reconnecting, "waiting for the
    /// network", and makes no attempt, and its reconnect delay does not grow, until <see cref="NetworkAvailable"/>.
    /// A login in progress runs to its end; a Connect made meanwhile waits before its login.
    /// </summary>
    public void NetworkLost()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (!_networkAvailable)
            {
                return;
            }
            _networkAvailable = false;
            changed = SwapNetworkSignal();
            LogNetworkLost(_logger);
            if (_attempt is { } attempt && IsCurrent(attempt))
            {
                Transition(ConnectionEvent.NetworkLost, s => s with { Message = WaitingForNetwork }, null, attempt.OwnerUid);
            }
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// The network is back: a waiting connection reconnects at once, the running openconnect told to reconnect, or,
    /// when it has exited meanwhile, a new one started with the same login and the reconnect delay from its start.
    /// </summary>
    public void NetworkAvailable()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_networkAvailable)
            {
                return;
            }
            _networkAvailable = true;
            changed = SwapNetworkSignal();
            LogNetworkAvailable(_logger);
            if (_attempt is { } attempt && IsCurrent(attempt)
                && Transition(ConnectionEvent.NetworkAvailable, s => s with { Message = NetworkBack }, null, attempt.OwnerUid))
            {
                attempt.Tunnel?.RequestReconnect(NetworkBack);
            }
        }
        changed.TrySetResult();
    }

    /// <summary>Callers hold the lock. Returns the signal to complete once the lock is released.</summary>
    private TaskCompletionSource SwapNetworkSignal()
    {
        TaskCompletionSource changed = _networkChanged;
        _networkChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }

    /// <summary>
    /// Before a login or a tunnel start: while the network is gone, shows "waiting for the network" and waits for it.
    /// True when it had to wait.
    /// </summary>
    private async Task<bool> WaitForNetworkAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        bool waited = false;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_networkAvailable)
                {
                    return waited;
                }
                changed = _networkChanged.Task;
                if (!waited && IsCurrent(attempt))
                {
                    Transition(ConnectionEvent.NetworkWait, s => s with { Message = WaitingForNetwork, OpenconnectPid = null, Prompt = null },
                        null, attempt.OwnerUid);
                }
            }
            waited = true;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The reconnect delay, cut short when the network goes or comes back; true when it was.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            changed = _networkChanged.Task;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task elapsed = Task.Delay(delay, _time, wait.Token);
        await Task.WhenAny(elapsed, changed).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        // Asked of the signal, not of which task won: the delay may also have run out meanwhile.
        return changed.IsCompleted;
    }
}
