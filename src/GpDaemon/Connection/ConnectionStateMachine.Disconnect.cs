using GpDaemon.Backend;

namespace GpDaemon.Connection;

internal sealed partial class ConnectionStateMachine
{
    /// <summary>
    /// Ends the connection: cancels a login in progress or stops the tunnel (openconnect logs out), then Disconnected.
    /// From Failed it clears the failure. From Disconnected it is <see cref="NotConnectedException"/>.
    /// </summary>
    public async Task<ConnectionStatus> DisconnectAsync(CancellationToken cancellationToken)
    {
        Task<ConnectionStatus>? stopped = BeginStop(out ConnectionStatus? done);
        if (stopped is null)
        {
            return done ?? throw new NotConnectedException();
        }
        return await stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the saved session that <paramref name="uid"/>'s own connects use for the portal; false when there was none.</summary>
    public bool ForgetSession(string portal, uint uid) =>
        _backend.ForgetSession(new ConnectRequest(portal, null, null, null) { Caller = uid });

    /// <summary>Shutdown: the same as Disconnect, without the NotConnected error.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (BeginStop(out _) is { } stopped)
        {
            await stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts stopping the current attempt. The returned task ends in Disconnected whether or not anyone still
    /// waits for it (a client that hangs up mid-disconnect must not leave the state at Disconnecting).
    /// </summary>
    private Task<ConnectionStatus>? BeginStop(out ConnectionStatus? done)
    {
        Attempt? attempt;
        lock (_gate)
        {
            ConnectionState state = _current.Status.State;
            attempt = _attempt;
            if (state == ConnectionState.Disconnected || attempt is null)
            {
                done = null;
                return null;
            }
            if (state == ConnectionState.Failed)
            {
                _attempt = null;
                Transition(ConnectionEvent.Disconnect, _ => ConnectionStatus.Disconnected, null, null);
                done = _current.Status;
                return null;
            }
            if (!attempt.Stopping)
            {
                Transition(ConnectionEvent.Disconnect, s => s with { Prompt = null }, null, attempt.OwnerUid);
                attempt.Stopping = true;
                attempt.Stopped = attempt.Run.ContinueWith(_ => FinishStop(attempt), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        done = null;
        // Cancel outside the lock: cancellation callbacks may run continuations inline.
        attempt.Cancel.Cancel();
        return attempt.Stopped;
    }

    private ConnectionStatus FinishStop(Attempt attempt)
    {
        lock (_gate)
        {
            if (_attempt == attempt)
            {
                _attempt = null;
                Transition(ConnectionEvent.Stopped, _ => ConnectionStatus.Disconnected, null, null);
            }
            return _current.Status;
        }
    }
}
