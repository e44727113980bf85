using GpDaemon.Connection;
using Microsoft.Extensions.Hosting;

namespace GpDaemon.Lifecycle;

/// <summary>On stop (SIGTERM from systemd, Ctrl-C), ends the connection the way Disconnect does: openconnect logs out first.</summary>
internal sealed class ShutdownCoordinator(ConnectionStateMachine controller) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => controller.StopAsync(cancellationToken);
}
