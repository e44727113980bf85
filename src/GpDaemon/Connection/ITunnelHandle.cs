using System.Threading.Channels;

namespace GpDaemon.Connection;

/// <summary>One running tunnel process.</summary>
internal interface ITunnelHandle : IAsyncDisposable
{
    int? ProcessId { get; }

    /// <summary>Every change in order; the last one is <see cref="TunnelChange.Exited"/>.</summary>
    ChannelReader<TunnelChange> Changes { get; }

    (long BytesIn, long BytesOut)? ReadCounters();

    /// <summary>Stops the tunnel (logging out at the gateway) and waits until it is gone.</summary>
    ValueTask StopAsync(CancellationToken cancellationToken);
}
