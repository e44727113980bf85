using GpDaemon.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace GpDaemon.Systemd;

/// <summary>Tells systemd the connection state on every change (STATUS=), so `systemctl status` shows it.</summary>
internal sealed class StatusNotifier(ConnectionStateMachine controller, ISystemdNotifier notifier) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe(capacity: 1024);
        try
        {
            string? last = null;
            await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                string status = "STATUS=" + snapshot.Status.Summary().ReplaceLineEndings(" ");
                if (status != last)
                {
                    notifier.Notify(new ServiceState(status));
                    last = status;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
