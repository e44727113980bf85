using GpDaemon.Logging;
using GpTunnel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Lifecycle;

/// <summary>
/// Before clients can connect: an openconnect left running by a daemon that was killed is stopped, so that the
/// next Connect never makes it two tunnels.
/// </summary>
internal sealed partial class LeftoverTunnelCleaner(OpenConnectSupervisor supervisor, ILogger<LeftoverTunnelCleaner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LeftoverResult result = await supervisor.StopLeftoverAsync(cancellationToken).ConfigureAwait(false);
        if (result.Outcome != LeftoverOutcome.None)
        {
            LogLeftover(logger, result.Outcome.ToString(), result.ProcessId, result.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = EventIds.LeftoverTunnel, Level = LogLevel.Warning, Message = "Left-over tunnel from a previous daemon: {Outcome}, pid {Pid}: {Detail}")]
    private static partial void LogLeftover(ILogger logger, string outcome, int? pid, string detail);
}
