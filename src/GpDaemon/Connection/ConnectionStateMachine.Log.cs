using GpDaemon.Logging;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

internal sealed partial class ConnectionStateMachine
{
    // State, portal and gateway travel as structured properties of the surrounding StateScope.
    [LoggerMessage(EventId = EventIds.StateChanged, Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogStateChanged(ILogger logger, string summary);

    [LoggerMessage(EventId = EventIds.Progress, Level = LogLevel.Information, Message = "{Progress}")]
    private static partial void LogProgress(ILogger logger, string progress);

    [LoggerMessage(EventId = EventIds.ConnectStarted, Level = LogLevel.Information, Message = "Connect to {Portal} as {User} requested by uid {Uid}")]
    private static partial void LogConnectStarted(ILogger logger, string portal, string? user, uint uid);

    [LoggerMessage(EventId = EventIds.LoggedIn, Level = LogLevel.Information, Message = "Logged in to {Portal} as {User}; gateway {Gateway}")]
    private static partial void LogLoggedIn(ILogger logger, string portal, string gateway, string user);

    [LoggerMessage(EventId = EventIds.ConnectFailed, Level = LogLevel.Warning, Message = "Connection to {Portal} failed ({Failure}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string portal, string failure, string reason);

    [LoggerMessage(EventId = EventIds.TunnelExited, Level = LogLevel.Warning, Message = "Tunnel to {Portal} via {Gateway} ended: exit code {ExitCode}, {Reason}")]
    private static partial void LogTunnelExited(ILogger logger, string portal, string gateway, int exitCode, string? reason);

    [LoggerMessage(EventId = EventIds.Reconnecting, Level = LogLevel.Warning, Message = "Reconnecting to {Portal} via {Gateway} in {Delay}: {Reason}")]
    private static partial void LogReconnecting(ILogger logger, string portal, string gateway, string reason, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.ConnectUnexpectedError, Level = LogLevel.Error, Message = "Unexpected error while connecting to {Portal}")]
    private static partial void LogUnexpected(ILogger logger, string portal, Exception exception);

    [LoggerMessage(EventId = EventIds.StopFailed, Level = LogLevel.Warning, Message = "Stopping the tunnel failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);

    // The reason never quotes the answer: SamlCallback's messages name what is wrong, not the cookie.
    [LoggerMessage(EventId = EventIds.SignInRefused, Level = LogLevel.Warning, Message = "A sign-in result was refused: {Reason}")]
    private static partial void LogSignInRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.ReconnectRequested, Level = LogLevel.Information, Message = "Reconnecting to {Portal} now: {Reason}")]
    private static partial void LogReconnectRequested(ILogger logger, string portal, string reason);

    [LoggerMessage(EventId = EventIds.ReconnectAbsorbed, Level = LogLevel.Debug, Message = "Reconnect request ({Reason}) absorbed in state {CurrentState}")]
    private static partial void LogReconnectAbsorbed(ILogger logger, string reason, string currentState);

    [LoggerMessage(EventId = EventIds.NetworkLost, Level = LogLevel.Information, Message = "The network is gone: the connection waits for it")]
    private static partial void LogNetworkLost(ILogger logger);

    [LoggerMessage(EventId = EventIds.NetworkAvailable, Level = LogLevel.Information, Message = "The network is back")]
    private static partial void LogNetworkAvailable(ILogger logger);
}
