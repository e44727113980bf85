using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

internal sealed partial class VpnController
{
    // State, portal and gateway travel as structured properties of the surrounding StateScope.
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogStateChanged(ILogger logger, string summary);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "{Progress}")]
    private static partial void LogProgress(ILogger logger, string progress);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connect to {Portal} as {User} requested by uid {Uid}")]
    private static partial void LogConnectStarted(ILogger logger, string portal, string? user, uint uid);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Logged in to {Portal} as {User}; gateway {Gateway}")]
    private static partial void LogLoggedIn(ILogger logger, string portal, string gateway, string user);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection to {Portal} failed ({Failure}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string portal, string failure, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Tunnel to {Portal} via {Gateway} ended: exit code {ExitCode}, {Reason}")]
    private static partial void LogTunnelExited(ILogger logger, string portal, string gateway, int exitCode, string? reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Reconnecting to {Portal} via {Gateway} in {Delay}: {Reason}")]
    private static partial void LogReconnecting(ILogger logger, string portal, string gateway, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Unexpected error while connecting to {Portal}")]
    private static partial void LogUnexpected(ILogger logger, string portal, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Stopping the tunnel failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);

    // The reason never quotes the answer: SamlCallback's messages name what is wrong, not the cookie.
    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "A sign-in result was refused: {Reason}")]
    private static partial void LogSignInRefused(ILogger logger, string reason);
}
