using System.Threading.Channels;
using GpControl;
using GpDaemon.Connection;
using GpText;
using GpTunnel;

namespace GpDaemon.Tunnel;

/// <summary>Presents one supervised openconnect to the state machine.</summary>
internal sealed class TunnelHandle : ITunnelHandle
{
    private readonly OpenConnectTunnel _tunnel;
    private readonly Channel<TunnelChange> _changes = Channel.CreateUnbounded<TunnelChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public TunnelHandle(OpenConnectTunnel tunnel, string? hipReport = null)
    {
        _tunnel = tunnel;
        HipReport = hipReport;
        _pump = PumpAsync();
    }

    public int? ProcessId => _tunnel.ProcessId;

    public string? HipReport { get; }

    public ChannelReader<TunnelChange> Changes => _changes.Reader;

    public (long BytesIn, long BytesOut)? ReadCounters() =>
        _tunnel.Info?.Interface is { } iface ? InterfaceStatistics.Read(iface) : null;

    public ValueTask StopAsync(CancellationToken cancellationToken) => _tunnel.StopAsync(cancellationToken);

    private async Task PumpAsync()
    {
        try
        {
            await foreach (TunnelEvent e in _tunnel.Events.ReadAllAsync().ConfigureAwait(false))
            {
                TunnelChange? change = e switch
                {
                    TunnelUp up => new TunnelChange.Up(new TunnelDetails(up.Info.Interface, up.Info.Ipv4, up.Info.Ipv6, up.Info.Dns, up.Info.Routes)
                    {
                        ExcludedRoutes = up.Info.ExcludedRoutes,
                        DnsDomains = up.Info.DnsDomains,
                    }),
                    // openconnect's lines can quote the gateway: made safe before they reach the status.
                    TunnelReconnecting r => new TunnelChange.Reconnecting(UntrustedText.Clean(r.Reason)),
                    TunnelExited x => new TunnelChange.Exited(x.ExitCode, x.CookieRejected, UntrustedText.CleanOrNull(x.LastError)),
                    _ => null,
                };
                if (change is not null)
                {
                    _changes.Writer.TryWrite(change);
                }
            }
        }
        finally
        {
            _changes.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tunnel.DisposeAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
    }
}
