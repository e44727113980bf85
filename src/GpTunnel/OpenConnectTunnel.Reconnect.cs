using GpTunnel.Logging;
using Microsoft.Extensions.Logging;

namespace GpTunnel;

public sealed partial class OpenConnectTunnel
{
    /// <summary>
    /// Makes openconnect drop its connection to the gateway and reconnect at once with the same cookie (SIGUSR2),
    /// as after a resume or a network change, instead of waiting for its dead-peer detection. The tunnel reports
    /// <see cref="TunnelUp"/> again when it is back, or <see cref="TunnelExited"/> when the gateway refuses it.
    /// Returns false when openconnect has already exited.
    /// </summary>
    public bool RequestReconnect()
    {
        // Told first, so that the tunnel coming back (possibly before kill returns) is reported as up again.
        lock (_gate)
        {
            _tracker.ReconnectRequested();
        }

        bool sent = _child.Signal(Tmds.Linux.LibC.SIGUSR2);
        if (sent)
        {
            LogReconnectRequested(_logger, ProcessId);
        }

        return sent;
    }

    [LoggerMessage(EventId = EventIds.ReconnectRequested, Level = LogLevel.Information,
        Message = "Sending SIGUSR2 to openconnect (pid {ProcessId}) so that it reconnects now")]
    private static partial void LogReconnectRequested(ILogger logger, int processId);
}
