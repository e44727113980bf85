using GpControl;
using GpDaemon.Backend;
using GpText;
using GpTunnel;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

internal sealed partial class ConnectionStateMachine
{
    /// <summary>
    /// Starts a connection unless one exists. The check and the move to Authenticating are one step under the lock:
    /// of N racing callers exactly one gets here, the others get <see cref="AlreadyConnectedException"/>.
    /// </summary>
    public StateSnapshot Connect(ConnectRequest request, uint ownerUid)
    {
        lock (_gate)
        {
            ConnectionStatus status = _current.Status;
            if (status.State is not (ConnectionState.Disconnected or ConnectionState.Failed))
            {
                throw new AlreadyConnectedException(status.Portal ?? "?", status.State);
            }
            var attempt = new Attempt(request with { Caller = ownerUid }, ownerUid);
            _attempt = attempt;
            Transition(ConnectionEvent.Connect, _ => new ConnectionStatus(ConnectionState.Authenticating) { Portal = request.Portal, User = request.User }, null, ownerUid);
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
                if (await WaitForNetworkAsync(attempt, cancellationToken).ConfigureAwait(false))
                {
                    // Back from no network: start at once, and a drop after that begins a new series.
                    delay = _reconnect.InitialDelay;
                }
                // A reconnect stays Reconnecting until the new tunnel is up.
                Apply(attempt, ConnectionEvent.TunnelStarting, s => s with
                {
                    Gateway = login.Gateway,
                    User = login.User,
                    Message = s.State == ConnectionState.Reconnecting ? s.Message : null,
                });
                attempt.UpSince = null;
                tunnel = await login.Session.StartTunnelAsync(cancellationToken).ConfigureAwait(false);
                SetTunnel(attempt, tunnel);
                TunnelExited exit = await FollowTunnelAsync(attempt, tunnel, cancellationToken).ConfigureAwait(false);
                // Forget the process without publishing: the next state (Reconnecting, Failed) says it is gone, in one step.
                ForgetTunnel(attempt);
                await tunnel.DisposeAsync().ConfigureAwait(false);
                tunnel = null;
                cancellationToken.ThrowIfCancellationRequested();
                LogTunnelExited(_logger, portal, login.Gateway.Name, exit.ExitCode, exit.LastError);

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
                    Apply(attempt, ConnectionEvent.TunnelLost, s => s with { Message = "session expired, logging in again", OpenconnectPid = null });
                    login = await LoginAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!IsNetworkAvailable)
                {
                    // It went with the network: no retry, no failure and no growing delay until the network is back.
                    Apply(attempt, ConnectionEvent.TunnelLost, s => s with { Message = WaitingForNetwork, OpenconnectPid = null });
                    continue;
                }
                if (!attempt.WasUp)
                {
                    // It never came up: retrying would only repeat the same error. Say it now.
                    throw new ConnectFailedException(FailureKind.Tunnel,
                        $"tunnel to {login.Gateway.Name} failed: {exit.LastError ?? $"openconnect exited with code {exit.ExitCode}"}");
                }
                if (attempt.UpSince is { } upSince && _time.GetUtcNow() - upSince >= StableAfter)
                {
                    // It ran well for a while: this drop starts a new series, not the next step of a crash loop.
                    delay = _reconnect.InitialDelay;
                }
                TimeSpan wait = delay;
                string why = exit.LastError ?? $"openconnect exited with code {exit.ExitCode}";
                Apply(attempt, ConnectionEvent.TunnelLost, s => s with
                {
                    Message = $"{why}; retrying in {wait.TotalSeconds:0} s",
                    OpenconnectPid = null,
                });
                LogReconnecting(_logger, portal, login.Gateway.Name, why, wait);
                // The network coming or going cuts the wait short: the top of the loop then waits for it, or starts now.
                delay = await DelayAsync(wait, cancellationToken).ConfigureAwait(false)
                    ? _reconnect.InitialDelay
                    : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _reconnect.MaxDelay.Ticks));
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
        await WaitForNetworkAsync(attempt, cancellationToken).ConfigureAwait(false);
        Apply(attempt, ConnectionEvent.LoginStarted, s => s with { Prompt = null });
        LoginOutcome login = await _backend.LoginAsync(attempt.Request, new Interaction(this, attempt), cancellationToken).ConfigureAwait(false);
        LogLoggedIn(_logger, login.Portal, login.Gateway.Name, login.User);
        return login;
    }

    private async Task<TunnelExited> FollowTunnelAsync(Attempt attempt, ITunnelHandle tunnel, CancellationToken cancellationToken)
    {
        await foreach (TunnelEvent e in tunnel.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case TunnelUp { Info: var info }:
                    // Connected once the gateway has the host-information report too, which went out alongside
                    // openconnect's start and is normally settled well before this.
                    string? hipReport = await tunnel.HipReport.WaitAsync(cancellationToken).ConfigureAwait(false);
                    attempt.WasUp = true;
                    attempt.UpSince ??= _time.GetUtcNow();
                    DateTimeOffset now = _time.GetUtcNow();
                    Apply(attempt, ConnectionEvent.TunnelUp, s => s with
                    {
                        Interface = info.Interface,
                        TunnelGateway = info.Gateway,
                        Ipv4 = info.Ipv4,
                        Ipv6 = info.Ipv6,
                        Dns = info.Dns,
                        Routes = info.Routes,
                        ExcludedRoutes = info.ExcludedRoutes is { Count: > 0 } excluded ? excluded : null,
                        DnsDomains = info.DnsDomains is { Count: > 0 } domains ? domains : null,
                        ConnectedSince = s.State == ConnectionState.Connected ? s.ConnectedSince : now,
                        HipReport = hipReport,
                        Message = null,
                    });
                    break;
                case TunnelReconnecting reconnecting:
                    // openconnect's lines can quote the gateway: made safe before they reach the status. Without a
                    // network, that is the news: openconnect's retries say nothing more.
                    string reason = UntrustedText.Clean(reconnecting.Reason);
                    Apply(attempt, ConnectionEvent.TunnelReconnecting, s => s with { Message = IsNetworkAvailable ? reason : WaitingForNetwork });
                    break;
                case TunnelExited exited:
                    return exited with { LastError = UntrustedText.CleanOrNull(exited.LastError) };
            }
        }
        return new TunnelExited(-1, false, "openconnect ended without reporting how");
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

    /// <summary>Makes the move of <paramref name="event"/> if this attempt is still the current one and is not being stopped.</summary>
    private bool Apply(Attempt attempt, ConnectionEvent @event, Func<ConnectionStatus, ConnectionStatus> change, FailureKind? failure = null)
    {
        lock (_gate)
        {
            return IsCurrent(attempt) && Transition(@event, change, failure, attempt.OwnerUid);
        }
    }

    /// <summary>Changes details, not the state, if this attempt is still the current one and is not being stopped.</summary>
    private void Update(Attempt attempt, Func<ConnectionStatus, ConnectionStatus> change)
    {
        lock (_gate)
        {
            if (IsCurrent(attempt))
            {
                Publish(change(_current.Status) with { State = _current.Status.State }, null, attempt.OwnerUid);
            }
        }
    }

    /// <summary>Callers hold the lock.</summary>
    private bool IsCurrent(Attempt attempt) => _attempt == attempt && !attempt.Stopping;

    private void Fail(Attempt attempt, FailureKind kind, string message)
    {
        LogConnectFailed(_logger, attempt.Request.Portal, kind.ToString(), message);
        Apply(attempt, ConnectionEvent.Fail,
            s => new ConnectionStatus(ConnectionState.Failed) { Portal = s.Portal, User = s.User, Gateway = s.Gateway, Message = message }, kind);
    }
}
