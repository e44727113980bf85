using GpDaemon.Instances;
using Microsoft.Extensions.Hosting;

namespace GpDaemon.Connection;

/// <summary>Drops this instance's claim once it holds no connection (Disconnected or Failed), for its siblings to take.</summary>
internal sealed class ClaimReleaser(ConnectionStateMachine controller, InstanceRegistry registry) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe(capacity: 1024);
        try
        {
            await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (IsIdle(snapshot.Status.State))
                {
                    await registry.ReleaseAsync(() => IsIdle(controller.Current.Status.State), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsIdle(ConnectionState state) => state is ConnectionState.Disconnected or ConnectionState.Failed;
}
