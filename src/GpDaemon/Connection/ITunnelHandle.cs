using System.Threading.Channels;

namespace GpDaemon.Connection;

/// <summary>One running tunnel process.</summary>
internal interface ITunnelHandle : IAsyncDisposable
{
    int? ProcessId { get; }

    /// <summary>Every change in order; the last one is <see cref="TunnelChange.Exited"/>.</summary>
    ChannelReader<TunnelChange> Changes { get; }

    (long BytesIn, long BytesOut)? ReadCounters();

    /// <summary>What became of the host-information report before this tunnel started; null when none was tried.</summary>
    string? HipReport => null;

    /// <summary>Stops the tunnel (logging out at the gateway) and waits until it is gone.</summary>
    ValueTask StopAsync(CancellationToken cancellationToken);
}
