using GpControl;

namespace GpDaemon.Connection;

internal sealed partial class VpnController
{
    /// <summary>
    /// Ends the connection: cancels a login in progress or stops the tunnel (openconnect logs out), then Disconnected.
    /// From Failed it clears the failure. From Disconnected it is <see cref="NotConnectedException"/>.
    /// </summary>
    public async Task<VpnStatus> DisconnectAsync(CancellationToken cancellationToken)
    {
        Attempt? attempt = BeginStop(out VpnStatus? done);
        if (attempt is null)
        {
            return done ?? throw new NotConnectedException();
        }
        await attempt.Run.WaitAsync(cancellationToken).ConfigureAwait(false);
        return FinishStop(attempt);
    }

    /// <summary>Shutdown: the same as Disconnect, without the NotConnected error.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Attempt? attempt = BeginStop(out _);
        if (attempt is not null)
        {
            await attempt.Run.WaitAsync(cancellationToken).ConfigureAwait(false);
            FinishStop(attempt);
        }
    }

    private Attempt? BeginStop(out VpnStatus? done)
    {
        Attempt? attempt;
        lock (_gate)
        {
            VpnState state = _current.Status.StateValue;
            attempt = _attempt;
            if (state == VpnState.Disconnected || attempt is null)
            {
                done = null;
                return null;
            }
            if (state == VpnState.Failed)
            {
                _attempt = null;
                Publish(Blank(VpnState.Disconnected), null, null);
                done = _current.Status;
                return null;
            }
            if (!attempt.Stopping)
            {
                Publish(_current.Status with { State = nameof(VpnState.Disconnecting), Prompt = null }, null, attempt.OwnerUid);
                attempt.Stopping = true;
            }
        }
        done = null;
        // Cancel outside the lock: cancellation callbacks may run continuations inline.
        attempt.Cancel.Cancel();
        return attempt;
    }

    private VpnStatus FinishStop(Attempt attempt)
    {
        lock (_gate)
        {
            if (_attempt == attempt)
            {
                _attempt = null;
                Publish(Blank(VpnState.Disconnected), null, null);
            }
            return _current.Status;
        }
    }
}
