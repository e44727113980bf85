using System.Threading.Channels;
using GpTunnel;

namespace GpDaemon.Backend;

/// <summary>
/// Presents one supervised openconnect to the state machine, with the host-information report that goes out while it
/// connects.
/// </summary>
internal sealed class TunnelHandle : ITunnelHandle
{
    private readonly OpenConnectTunnel _tunnel;
    private readonly CancellationTokenSource _hipStop = new();

    /// <param name="sendHipReport">Sends the report and says what became of it; null when no report is tried.</param>
    public TunnelHandle(OpenConnectTunnel tunnel, Func<CancellationToken, Task<string>>? sendHipReport = null)
    {
        _tunnel = tunnel;
        HipReport = sendHipReport is null ? Task.FromResult<string?>(null) : SendHipReportAsync(sendHipReport);
    }

    public int? ProcessId => _tunnel.ProcessId;

    public Task<string?> HipReport { get; }

    public ChannelReader<TunnelEvent> Events => _tunnel.Events;

    public (long BytesIn, long BytesOut)? ReadCounters() =>
        _tunnel.Info?.Interface is { } iface ? InterfaceStatistics.Read(iface) : null;

    // The reason is the daemon's own (a resume, a new route): openconnect needs none, the status shows it.
    public bool RequestReconnect(string reason) => _tunnel.RequestReconnect();

    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        await AbandonHipReportAsync().ConfigureAwait(false);
        await _tunnel.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await AbandonHipReportAsync().ConfigureAwait(false);
        await _tunnel.DisposeAsync().ConfigureAwait(false);
        _hipStop.Dispose();
    }

    private async Task<string?> SendHipReportAsync(Func<CancellationToken, Task<string>> send)
    {
        Task<string> report = send(_hipStop.Token);
        // A tunnel that ends first leaves nobody to report to.
        if (await Task.WhenAny(report, _tunnel.Exited).ConfigureAwait(false) != report)
        {
            await _hipStop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            return await report.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_hipStop.IsCancellationRequested)
        {
            return "failed: the tunnel ended before the report was sent";
        }
    }

    /// <summary>Nothing of this tunnel outlives it: a report still on its way is cancelled and waited for.</summary>
    private async Task AbandonHipReportAsync()
    {
        if (!HipReport.IsCompleted)
        {
            await _hipStop.CancelAsync().ConfigureAwait(false);
            await ((Task)HipReport).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
