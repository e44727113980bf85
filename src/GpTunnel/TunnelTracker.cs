using GpTunnel.Output;
using GpTunnel.Wrapper;

namespace GpTunnel;

/// <summary>
/// Turns openconnect's output into tunnel events. No I/O, no clock: tests feed it transcripts.
/// TunnelUp only comes from the wrapper (reason=connect/reconnect, or the --script-tun handler starting):
/// openconnect prints "Configured as" before it creates the tun device, so that line alone proves nothing;
/// its addresses and the session expiry are merged into the wrapper's report.
/// With --script-tun openconnect runs no script when it reconnects by itself; there the reconnect's
/// HIP check request, its last step before the tunnel request, is taken as the tunnel being back
/// (a failing tunnel request shows up as the next reconnect or the exit).
/// </summary>
internal sealed class TunnelTracker(string nonce, bool scriptTun, TimeZoneInfo localZone)
{
    private readonly WrapperReportReader _reports = new(nonce);
    private TunnelInfo? _info;
    private string? _configuredIpv4;
    private string? _configuredIpv6;
    private DateTimeOffset? _expires;
    private bool _up;
    private bool _everUp;
    private bool _reconnecting;
    private bool _cookieRejected;
    private string? _lastError;
    private string? _lastGenericError;

    /// <summary>Latest known configuration; null until the tunnel first came up.</summary>
    public TunnelInfo? Info => _info;

    public bool IsUp => _up;

    public TrackedLine OnLine(string line, bool fromStderr)
    {
        if (!fromStderr && _reports.TryAccept(line, out var report))
        {
            return new TrackedLine(null, report, report is null ? [] : OnReport(report));
        }

        var parsed = OpenConnectOutputParser.Parse(line, localZone);
        var events = new List<TunnelEvent>(1);
        switch (parsed.Kind)
        {
            case OutputLineKind.Configured:
                _configuredIpv4 = parsed.Ipv4;
                _configuredIpv6 = parsed.Ipv6;
                break;
            case OutputLineKind.SessionExpires when parsed.Expires is { } expires:
                _expires = expires;
                if (_info is not null && _info.SessionExpires != expires)
                {
                    _info = _info with { SessionExpires = expires };
                    if (_up)
                    {
                        events.Add(new TunnelUp(_info));
                    }
                }
                break;
            case OutputLineKind.HipCheckRequest when scriptTun && _reconnecting && _info is not null:
                _up = true;
                _reconnecting = false;
                events.Add(new TunnelUp(_info));
                break;
            case OutputLineKind.DeadPeer:
            case OutputLineKind.ConnectionLost:
            case OutputLineKind.RekeyDue:
            case OutputLineKind.ReconnectWait:
                Reconnecting(parsed.Text.Trim(), events);
                break;
            case OutputLineKind.CookieRejected:
                _cookieRejected = true;
                break;
        }

        if (parsed.Kind is not (OutputLineKind.Blank or OutputLineKind.Notice) && (fromStderr || parsed.IsError))
        {
            if (parsed.IsGenericFailure)
            {
                _lastGenericError = parsed.Text.Trim();
            }
            else
            {
                _lastError = parsed.Text.Trim();
            }
        }
        return new TrackedLine(parsed, null, events);
    }

    public TunnelExited OnExit(int exitCode)
    {
        _up = false;
        var cookieRejected = exitCode == 2 || (_cookieRejected && exitCode != 0);
        string? lastError = null;
        if (exitCode != 0)
        {
            lastError = _lastError ?? _lastGenericError;
            if (lastError is null && exitCode > 128)
            {
                lastError = $"openconnect was killed by signal {exitCode - 128}";
            }
        }
        return new TunnelExited(exitCode, cookieRejected, lastError);
    }

    private List<TunnelEvent> OnReport(WrapperReport report)
    {
        var events = new List<TunnelEvent>(1);
        switch (report.Reason)
        {
            case "connect":
            case "reconnect":
            case WrapperScript.TunHandlerReason:
                var info = report.ToTunnelInfo();
                info = info with
                {
                    Ipv4 = info.Ipv4 ?? _configuredIpv4,
                    Ipv6 = info.Ipv6 ?? _configuredIpv6,
                    SessionExpires = _expires,
                };
                var changed = !_up || !info.SameAs(_info);
                var recovered = _everUp;
                _info = info;
                _up = _everUp = true;
                _reconnecting = false;
                // Errors of a recovered reconnect attempt do not explain a later exit. The first connect clears
                // nothing: stdout (this report) and stderr are read apart, so an error openconnect wrote just after
                // it may already have been read, and it is the reason for the exit that follows.
                if (recovered)
                {
                    _lastError = _lastGenericError = null;
                }

                if (changed)
                {
                    events.Add(new TunnelUp(info));
                }

                break;
            case "attempt-reconnect":
                Reconnecting("openconnect lost the gateway and is reconnecting", events);
                break;
            case "disconnect":
                _up = false;
                break;
        }
        return events;
    }

    /// <summary>
    /// The caller made openconnect reconnect (SIGUSR2): the tunnel is down until openconnect says it is back, which it
    /// does the same way as after a reconnect of its own. No event: the caller knows why.
    /// </summary>
    public void ReconnectRequested()
    {
        if (!_everUp)
        {
            return;
        }

        _reconnecting = true;
        _up = false;
    }

    private void Reconnecting(string reason, List<TunnelEvent> events)
    {
        if (!_everUp || _reconnecting)
        {
            return;
        }

        _reconnecting = true;
        _up = false;
        events.Add(new TunnelReconnecting(reason));
    }
}
