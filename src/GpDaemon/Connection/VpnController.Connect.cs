using GpControl;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

internal sealed partial class VpnController
{
    /// <summary>
    /// Starts a connection unless one exists. The check and the move to Authenticating are one step under the lock:
    /// of N racing callers exactly one gets here, the others get <see cref="AlreadyConnectedException"/>.
    /// </summary>
    public StateSnapshot Connect(ConnectRequest request, uint ownerUid)
    {
        lock (_gate)
        {
            VpnStatus status = _current.Status;
            if (status.StateValue is not (VpnState.Disconnected or VpnState.Failed))
            {
                throw new AlreadyConnectedException(status.Portal ?? "?", status.State);
            }
            var attempt = new Attempt(request with { Caller = ownerUid }, ownerUid);
            _attempt = attempt;
            Publish(Blank(VpnState.Authenticating) with { Portal = request.Portal, User = request.User }, null, ownerUid);
            LogConnectStarted(_logger, request.Portal, request.User, ownerUid);
            attempt.Run = Task.Run(() => RunAsync(attempt));
            return _current;
        }
    }

    private async Task RunAsync(Attempt attempt)
    {
        CancellationToken cancellationToken = attempt.Cancel.Token;
        string portal = attempt.Request.Portal;
        ITunnelHandle? tunnel = null;
        try
        {
            LoginOutcome login = await LoginAsync(attempt, cancellationToken).ConfigureAwait(false);
            TimeSpan delay = _reconnect.InitialDelay;
            bool reloggedSinceUp = false;
            while (true)
            {
                // A reconnect stays Reconnecting until the new tunnel is up.
                Update(attempt, s => s with
                {
                    State = s.StateValue == VpnState.Reconnecting ? s.State : nameof(VpnState.Connecting),
                    Gateway = login.Gateway,
                    User = login.User,
                    Message = s.StateValue == VpnState.Reconnecting ? s.Message : null,
                });
                attempt.UpSince = null;
                tunnel = await _backend.StartTunnelAsync(login, cancellationToken).ConfigureAwait(false);
                SetTunnel(attempt, tunnel);
                TunnelChange.Exited exit = await FollowTunnelAsync(attempt, tunnel, cancellationToken).ConfigureAwait(false);
                // Forget the process without publishing: the next state (Reconnecting, Failed) says it is gone, in one step.
                ForgetTunnel(attempt);
                await tunnel.DisposeAsync().ConfigureAwait(false);
                tunnel = null;
                cancellationToken.ThrowIfCancellationRequested();
                LogTunnelExited(_logger, portal, login.Gateway.Name, exit.ExitCode, exit.Reason);

                if (attempt.UpSince is not null)
                {
                    // The last login's tunnel worked: a later rejection is a new expiry, worth one more login.
                    reloggedSinceUp = false;
                }
                if (exit.CookieRejected)
                {
                    _backend.ForgetSession(attempt.Request);
                    if (attempt.Request.Password is null || reloggedSinceUp)
                    {
                        throw new ConnectFailedException(FailureKind.Authentication,
                            "session expired or rejected by the gateway, run gpctl connect again");
                    }
                    reloggedSinceUp = true;
                    Update(attempt, s => s with { State = nameof(VpnState.Reconnecting), Message = "session expired, logging in again", OpenconnectPid = null });
                    login = await LoginAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!attempt.WasUp)
                {
                    // It never came up: retrying would only repeat the same error. Say it now.
                    throw new ConnectFailedException(FailureKind.Tunnel,
                        $"tunnel to {login.Gateway.Name} failed: {exit.Reason ?? $"openconnect exited with code {exit.ExitCode}"}");
                }
                if (attempt.UpSince is { } upSince && _time.GetUtcNow() - upSince >= StableAfter)
                {
                    // It ran well for a while: this drop starts a new series, not the next step of a crash loop.
                    delay = _reconnect.InitialDelay;
                }
                TimeSpan wait = delay;
                string why = exit.Reason ?? $"openconnect exited with code {exit.ExitCode}";
                Update(attempt, s => s with
                {
                    State = nameof(VpnState.Reconnecting),
                    Message = $"{why}; retrying in {wait.TotalSeconds:0} s",
                    OpenconnectPid = null,
                });
                LogReconnecting(_logger, portal, login.Gateway.Name, why, wait);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _reconnect.MaxDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disconnect or shutdown: whoever cancelled publishes the end state.
        }
        catch (ConnectFailedException ex)
        {
            Fail(attempt, ex.Kind, ex.Message);
        }
        catch (Exception ex)
        {
            LogUnexpected(_logger, portal, ex);
            Fail(attempt, FailureKind.Tunnel, ex.Message);
        }
        finally
        {
            if (tunnel is not null)
            {
                ForgetTunnel(attempt);
                await StopTunnelAsync(tunnel).ConfigureAwait(false);
            }
        }
    }

    private async Task<LoginOutcome> LoginAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        Update(attempt, s => s with { State = nameof(VpnState.Authenticating), Prompt = null });
        LoginOutcome login = await _backend.LoginAsync(attempt.Request, new Interaction(this, attempt), cancellationToken).ConfigureAwait(false);
        LogLoggedIn(_logger, login.Portal, login.Gateway.Name, login.User);
        return login;
    }

    private async Task<TunnelChange.Exited> FollowTunnelAsync(Attempt attempt, ITunnelHandle tunnel, CancellationToken cancellationToken)
    {
        await foreach (TunnelChange change in tunnel.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (change)
            {
                case TunnelChange.Up up:
                    attempt.WasUp = true;
                    attempt.UpSince ??= _time.GetUtcNow();
                    string since = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    Update(attempt, s => s with
                    {
                        State = nameof(VpnState.Connected),
                        Interface = up.Details.Interface,
                        Ipv4 = up.Details.Ipv4,
                        Ipv6 = up.Details.Ipv6,
                        Dns = up.Details.Dns,
                        Routes = up.Details.Routes,
                        ExcludedRoutes = up.Details.ExcludedRoutes is { Count: > 0 } excluded ? excluded : null,
                        DnsDomains = up.Details.DnsDomains is { Count: > 0 } domains ? domains : null,
                        ConnectedSince = s.StateValue == VpnState.Connected ? s.ConnectedSince : since,
                        HipReport = tunnel.HipReport,
                        Message = null,
                    });
                    break;
                case TunnelChange.Reconnecting reconnecting:
                    Update(attempt, s => s with { State = nameof(VpnState.Reconnecting), Message = reconnecting.Reason });
                    break;
                case TunnelChange.Exited exited:
                    return exited;
            }
        }
        return new TunnelChange.Exited(-1, false, "openconnect ended without reporting how");
    }

    private void SetTunnel(Attempt attempt, ITunnelHandle tunnel)
    {
        lock (_gate)
        {
            attempt.Tunnel = tunnel;
            if (_attempt == attempt && !attempt.Stopping)
            {
                Publish(_current.Status with { OpenconnectPid = tunnel.ProcessId }, null, attempt.OwnerUid);
            }
        }
    }

    private void ForgetTunnel(Attempt attempt)
    {
        lock (_gate)
        {
            attempt.Tunnel = null;
        }
    }

    private async Task StopTunnelAsync(ITunnelHandle tunnel)
    {
        try
        {
            await tunnel.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogStopFailed(_logger, ex);
        }
        finally
        {
            await tunnel.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Applies a change if this attempt is still the current one and is not being stopped.</summary>
    private bool Update(Attempt attempt, Func<VpnStatus, VpnStatus> change, FailureKind? failure = null)
    {
        lock (_gate)
        {
            if (_attempt != attempt || attempt.Stopping)
            {
                return false;
            }
            Publish(change(_current.Status), failure, attempt.OwnerUid);
            return true;
        }
    }

    private void Fail(Attempt attempt, FailureKind kind, string message)
    {
        LogConnectFailed(_logger, attempt.Request.Portal, kind.ToString(), message);
        Update(attempt, s => Blank(VpnState.Failed) with { Portal = s.Portal, User = s.User, Gateway = s.Gateway, Message = message }, kind);
    }
}
