using GlobalProtect;
using GpDaemon.Config;
using GpDaemon.Instances;
using GpDaemon.Logging;
using GpText;
using GpTunnel;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Backend;

/// <summary>
/// The real backend: GlobalProtect login (src/GlobalProtect), then openconnect (src/GpTunnel). Both are built from the
/// configuration in force when they start, so a reload applies to the next login or tunnel.
/// </summary>
internal sealed partial class GlobalProtectBackend(
    ConfigStore config,
    SessionStore sessions,
    SupervisorFactory supervisors,
    InstanceRegistry instances,
    ILogger<GlobalProtectBackend> logger) : IVpnBackend
{
    private readonly HipScriptRunner _hipScripts = new(logger);

    public async Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken)
    {
        DaemonConfig current = config.Current;
        // Before anything reaches the portal: another instance may already hold this portal and user, or the interface.
        await ClaimAsync(request.Portal, request.User, current, cancellationToken).ConfigureAwait(false);
        var client = ClientFor(current);
        var bridge = new PromptBridge(interaction, current.Client.SignInTimeout);
        SavedSession? saved = sessions.Load(request.SessionOwner, request.Portal);
        LoginResult result;
        try
        {
            result = await client.LoginAsync(
                new LoginRequest(request.Portal, request.User ?? saved?.User, request.Password, request.Gateway, saved),
                bridge, bridge, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ConnectFailedException(FailureKind.Authentication, ex.Message, ex);
        }
        catch (GlobalProtectException ex)
        {
            throw new ConnectFailedException(FailureKind.Portal, ex.Message, ex);
        }
        return new LoginOutcome(result.Portal, result.User, GatewayMapping.ToControl(result.Gateway),
            [.. result.Gateways.Select(GatewayMapping.ToControl)], new GlobalProtectSession(this, result, request.SessionOwner));
    }

    private async Task ClaimAsync(string portal, string? user, DaemonConfig current, CancellationToken cancellationToken)
    {
        try
        {
            await instances.ClaimAsync(portal, user, current.OpenConnect.Interface, cancellationToken).ConfigureAwait(false);
        }
        catch (InstanceClaimException ex)
        {
            throw new ConnectFailedException(FailureKind.Tunnel, ex.Message, ex);
        }
    }

    /// <summary>Starts a tunnel of <paramref name="session"/>'s login, with the configuration in force now.</summary>
    internal async Task<ITunnelHandle> StartTunnelAsync(GlobalProtectSession session, CancellationToken cancellationToken)
    {
        (LoginResult result, string owner) = (session.Result, session.Owner);
        DaemonConfig current = config.Current;
        // Now the user is known (a prompt or the saved session may have supplied it): claim it before the tunnel starts.
        await ClaimAsync(result.Portal, result.User, current, cancellationToken).ConfigureAwait(false);
        try
        {
            OpenConnectTunnel tunnel = await supervisors.For(current).StartAsync(
                new TunnelStartInfo(result.Gateway.Address, result.OpenConnectCookie, current.ServerCert, current.CaFile, OsVersion(current.Client.Os)),
                cancellationToken).ConfigureAwait(false);
            // The report goes out while openconnect connects, over the gateway login's connection, as GlobalProtect's
            // own app sends it once connected; Connected waits for it (ConnectionStateMachine), so a gateway that
            // limits a client without a report has it by then.
            return new TunnelHandle(tunnel, ct => HipReportAsync(current, result, ct));
        }
        catch (OpenConnectNotFoundException ex)
        {
            throw new ConnectFailedException(FailureKind.Tunnel, ex.Message, ex);
        }
        finally
        {
            // Keep what a later login can reuse (the portal's cookie, the gateway list), not the gateway session cookie:
            // it dies with the logout at every disconnect, and a secret at rest that buys nothing is only a risk.
            // Saved once openconnect is on its way, so that the file's fsync overlaps its start instead of delaying it.
            sessions.Save(owner, result.Session with { OpenConnectCookie = null });
        }
    }

    /// <summary>
    /// The host-information report, done here rather than by openconnect's --csd-wrapper, which would put the session
    /// cookie on a script's command line. The report is written by <c>[client] hip_script</c> (Debian's hipreport.sh by
    /// default), given only the cookie's non-secret fields, or built in. A failure is only a warning: many gateways let
    /// a client in without a report, and the tunnel tells the user if this one does not.
    /// </summary>
    private async Task<string> HipReportAsync(DaemonConfig current, LoginResult result, CancellationToken cancellationToken)
    {
        if (!current.Client.HipReport)
        {
            result.ReleaseConnection();
            return "off";
        }

        string? script = HipScript.Choose(current.Client.HipScript);
        HipReportWriter? writeReport = script is null
            ? null
            : (facts, ct) => _hipScripts.RunAsync(script, facts, current.Client.RequestTimeout, ct);
        try
        {
            HipReportOutcome outcome = await ClientFor(current).SubmitHipReportAsync(
                result, OsRelease.PrettyName(), writeReport, cancellationToken).ConfigureAwait(false);
            LogHipReport(logger, result.Gateway.Name, outcome == HipReportOutcome.Sent ? "sent" : "not needed");
            return outcome == HipReportOutcome.Sent ? "sent" : "not needed";
        }
        catch (Exception ex) when (ex is GlobalProtectException or HipScriptException)
        {
            string reason = UntrustedText.Clean(ex.Message, 400);
            LogHipReportFailed(logger, result.Gateway.Name, reason);
            return "failed: " + reason;
        }
    }

    private static GlobalProtectClient ClientFor(DaemonConfig current) => new(
        new ClientIdentity(current.Client.Os, current.Client.Version, OsVersion(current.Client.Os), current.Client.Computer, current.Client.UserAgent),
        new TlsSettings(current.ServerCert, current.CaFile),
        current.Client.RequestTimeout);

    [LoggerMessage(EventId = EventIds.HipReport, Level = LogLevel.Information, Message = "HIP report for gateway {Gateway}: {HipReport}")]
    private static partial void LogHipReport(ILogger logger, string gateway, string hipReport);

    [LoggerMessage(EventId = EventIds.HipReportFailed, Level = LogLevel.Warning, Message = "HIP report for gateway {Gateway} failed: {Reason}. The tunnel starts anyway; the gateway may limit it")]
    private static partial void LogHipReportFailed(ILogger logger, string gateway, string reason);

    public bool ForgetSession(ConnectRequest request) => sessions.Forget(request.SessionOwner, request.Portal);

    /// <summary>The OS name GlobalProtect and openconnect's --os use for a client OS.</summary>
    private static string OsVersion(string clientOs) => clientOs switch
    {
        "Windows" => "win",
        "Mac" => "mac-intel",
        _ => "linux-64",
    };
}
