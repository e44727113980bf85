using Microsoft.Extensions.Logging;

namespace GpTunnel.Logging;

/// <summary>Log events of the supervisor, with ids from <see cref="EventIds"/>.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.Starting, Level = LogLevel.Information,
        Message = "Starting openconnect for gateway {Gateway} (script-tun: {ScriptTun})")]
    public static partial void Starting(ILogger logger, string gateway, bool scriptTun);

    [LoggerMessage(EventId = EventIds.Started, Level = LogLevel.Information, Message = "openconnect started with pid {ProcessId}")]
    public static partial void Started(ILogger logger, int processId);

    [LoggerMessage(EventId = EventIds.Output, Level = LogLevel.Information, Message = "openconnect[{ProcessId}]: {Line}")]
    public static partial void Output(ILogger logger, int processId, string line);

    [LoggerMessage(EventId = EventIds.ErrorOutput, Level = LogLevel.Warning, Message = "openconnect[{ProcessId}]: {Line}")]
    public static partial void ErrorOutput(ILogger logger, int processId, string line);

    [LoggerMessage(EventId = EventIds.WrapperReport, Level = LogLevel.Debug, Message = "openconnect[{ProcessId}] wrapper report {Reason} (status {Status}): {Variables}")]
    public static partial void WrapperReport(ILogger logger, int processId, string reason, int status, string variables);

    [LoggerMessage(EventId = EventIds.TunnelUp, Level = LogLevel.Information,
        Message = "Tunnel up (openconnect pid {ProcessId}): interface {Interface}, IPv4 {Ipv4}, IPv6 {Ipv6}, gateway {GatewayAddress}, DNS {Dns}")]
    public static partial void TunnelUp(ILogger logger, int processId, string? @interface, string? ipv4, string? ipv6,
        string? gatewayAddress, string dns);

    [LoggerMessage(EventId = EventIds.Reconnecting, Level = LogLevel.Warning, Message = "openconnect (pid {ProcessId}) is reconnecting: {Reason}")]
    public static partial void Reconnecting(ILogger logger, int processId, string reason);

    [LoggerMessage(EventId = EventIds.Exited, Level = LogLevel.Information,
        Message = "openconnect (pid {ProcessId}) exited with code {ExitCode}; cookie rejected: {CookieRejected}; last error: {LastError}")]
    public static partial void Exited(ILogger logger, int processId, int exitCode, bool cookieRejected, string? lastError);

    [LoggerMessage(EventId = EventIds.SessionExpires, Level = LogLevel.Information, Message = "Gateway session of openconnect (pid {ProcessId}) expires at {Expires}")]
    public static partial void SessionExpires(ILogger logger, int processId, DateTimeOffset expires);

    [LoggerMessage(EventId = EventIds.Stopping, Level = LogLevel.Information,
        Message = "Sending SIGTERM to openconnect (pid {ProcessId}) so that it logs out")]
    public static partial void Stopping(ILogger logger, int processId);

    [LoggerMessage(EventId = EventIds.Killing, Level = LogLevel.Warning,
        Message = "openconnect (pid {ProcessId}) did not exit within {Timeout}; sending SIGKILL (no logout at the gateway)")]
    public static partial void Killing(ILogger logger, int processId, TimeSpan timeout);

    [LoggerMessage(EventId = EventIds.InterfaceLingers, Level = LogLevel.Warning,
        Message = "Interface {Interface} still exists after openconnect (pid {ProcessId}) exited")]
    public static partial void InterfaceLingers(ILogger logger, int processId, string @interface);

    [LoggerMessage(EventId = EventIds.VpncScriptFailed, Level = LogLevel.Warning,
        Message = "vpnc-script run by openconnect (pid {ProcessId}) failed for reason {Reason} with status {Status}; routes or DNS may be incomplete")]
    public static partial void VpncScriptFailed(ILogger logger, int processId, string reason, int status);

    [LoggerMessage(EventId = EventIds.UnsafeVariable, Level = LogLevel.Warning,
        Message = "Ignored {Variable} from openconnect (pid {ProcessId}): it contains characters no address or name has")]
    public static partial void UnsafeVariable(ILogger logger, int processId, string variable);

    [LoggerMessage(EventId = EventIds.VpncDisconnectRunning, Level = LogLevel.Warning,
        Message = "openconnect (pid {VpnPid}) ended without the vpnc-script's disconnect; running {VpncScript} with reason=disconnect for interface {Interface} to restore DNS and routes")]
    public static partial void VpncDisconnectRunning(ILogger logger, string vpnPid, string? @interface, string vpncScript);

    [LoggerMessage(EventId = EventIds.VpncDisconnectDone, Level = LogLevel.Information,
        Message = "vpnc-script disconnect for openconnect (pid {VpnPid}) done")]
    public static partial void VpncDisconnectDone(ILogger logger, string vpnPid);

    [LoggerMessage(EventId = EventIds.VpncDisconnectFailed, Level = LogLevel.Warning,
        Message = "vpnc-script disconnect for openconnect (pid {VpnPid}) ended with status {Status}; check /etc/resolv.conf and the routes")]
    public static partial void VpncDisconnectFailed(ILogger logger, string vpnPid, int status);

    [LoggerMessage(EventId = EventIds.VpncDisconnectNotStarted, Level = LogLevel.Warning,
        Message = "vpnc-script disconnect for openconnect (pid {VpnPid}) could not start {VpncScript}; check /etc/resolv.conf and the routes")]
    public static partial void VpncDisconnectNotStarted(ILogger logger, Exception exception, string vpnPid, string vpncScript);

    [LoggerMessage(EventId = EventIds.VpncDisconnectOutput, Level = LogLevel.Debug, Message = "vpnc-script disconnect for openconnect (pid {VpnPid}): {Line}")]
    public static partial void VpncDisconnectOutput(ILogger logger, string vpnPid, string line);

    [LoggerMessage(EventId = EventIds.PidFileFailed, Level = LogLevel.Warning, Message = "Could not write the pid file {PidFile}")]
    public static partial void PidFileFailed(ILogger logger, Exception exception, string pidFile);

    [LoggerMessage(EventId = EventIds.OutputFailed, Level = LogLevel.Debug, Message = "Reading the output of openconnect (pid {ProcessId}) failed")]
    public static partial void OutputFailed(ILogger logger, Exception exception, int processId);

    [LoggerMessage(EventId = EventIds.NoLeftover, Level = LogLevel.Debug, Message = "No openconnect left by a previous daemon ({PidFile} absent)")]
    public static partial void NoLeftover(ILogger logger, string pidFile);

    [LoggerMessage(EventId = EventIds.LeftoverChecked, Level = LogLevel.Information, Message = "Leftover check: {Outcome} (pid {ProcessId}): {Detail}")]
    public static partial void LeftoverChecked(ILogger logger, LeftoverOutcome outcome, int? processId, string detail);

    [LoggerMessage(EventId = EventIds.StoppingLeftover, Level = LogLevel.Warning,
        Message = "Stopping openconnect (pid {ProcessId}) left running by a previous daemon")]
    public static partial void StoppingLeftover(ILogger logger, int processId);
}
