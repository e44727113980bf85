using System.Threading.Channels;
using GpTunnel;

namespace GpDaemon.Backend;

/// <summary>Presents one supervised openconnect to the state machine.</summary>
internal sealed class TunnelHandle(OpenConnectTunnel tunnel, string? hipReport = null) : ITunnelHandle
{
    public int? ProcessId => tunnel.ProcessId;

    public string? HipReport { get; } = hipReport;

    public ChannelReader<TunnelEvent> Events => tunnel.Events;

    public (long BytesIn, long BytesOut)? ReadCounters() =>
        tunnel.Info?.Interface is { } iface ? InterfaceStatistics.Read(iface) : null;

    // The reason is the daemon's own (a resume, a new route): openconnect needs none, the status shows it.
    public bool RequestReconnect(string reason) => tunnel.RequestReconnect();

    public ValueTask StopAsync(CancellationToken cancellationToken) => tunnel.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => tunnel.DisposeAsync();
}
