using System.Threading.Channels;
using GpTunnel;

namespace GpDaemon.Backend;

/// <summary>One running tunnel process.</summary>
internal interface ITunnelHandle : IAsyncDisposable
{
    int? ProcessId { get; }

    /// <summary>
    /// openconnect's own events in order (<see cref="TunnelUp"/>, <see cref="TunnelReconnecting"/>); the last one is
    /// <see cref="TunnelExited"/>. Their reasons are openconnect's words, which may quote the gateway: untrusted text.
    /// </summary>
    ChannelReader<TunnelEvent> Events { get; }

    (long BytesIn, long BytesOut)? ReadCounters();

    /// <summary>
    /// What became of the host-information report sent while this tunnel connects: "sent", "not needed", "off" or
    /// "failed: ..."; null when none was tried. Completes once the report is settled or the tunnel has ended.
    /// </summary>
    Task<string?> HipReport => Task.FromResult<string?>(null);

    /// <summary>
    /// Makes the tunnel reconnect to the gateway now with the same login (after a resume or a network change),
    /// without a new process. The events then report it up again, or its exit. False when it has already exited.
    /// </summary>
    bool RequestReconnect(string reason);

    /// <summary>Stops the tunnel (logging out at the gateway) and waits until it is gone.</summary>
    ValueTask StopAsync(CancellationToken cancellationToken);
}
