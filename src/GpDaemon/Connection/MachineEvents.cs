using System.Net;
using GpDaemon.Config;
using GpDaemon.Logging;
using GpDaemon.Network;
using GpDaemon.Sleep;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

/// <summary>
/// Brings what happens to the machine to the one state machine: a resume makes the tunnel reconnect at once, a lost
/// network makes it wait, a network back or a new way to the gateway makes it reconnect. It also tells the network
/// follower what to look at: never the tunnel's own interface (its routes are not a change of the network) and the
/// route to the gateway while there is a tunnel. Either follower may be unable to run; the daemon goes on without it.
/// </summary>
internal sealed partial class MachineEvents(
    ConnectionStateMachine controller, SleepFollower sleep, NetworkFollower network, ConfigStore config, DaemonPaths paths,
    ILogger<MachineEvents> logger) : BackgroundService
{
    internal const string ResumedReason = "resumed from sleep";

    /// <summary>How long the start waits for the first read of the routes, so that an autoconnect without network
    /// waits for it instead of failing. Netlink answers in milliseconds, or fails at once; a read still hanging after
    /// this is told to the state machine later.</summary>
    internal static readonly TimeSpan FirstStateTimeout = TimeSpan.FromSeconds(2);

    private volatile string? _tunnelInterface;
    private IPAddress? _gateway;
    private bool _toldAtStart;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        network.SetInterfaceFilter(IsTunnelInterface);
        try
        {
            await network.Ready.WaitAsync(FirstStateTimeout, cancellationToken).ConfigureAwait(false);
            TellNetworkState();
            _toldAtStart = true;
        }
        catch (TimeoutException)
        {
            // The first read hangs: the network loop tells the state machine once it is over.
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(FollowSleepAsync(stoppingToken), FollowNetworkAsync(stoppingToken), FollowTunnelAsync(stoppingToken))
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The configured (or instance's default) tunnel name, and the name openconnect reported.</summary>
    private bool IsTunnelInterface(string name) =>
        name == (config.Current.OpenConnect.Interface ?? paths.DefaultInterface) || name == _tunnelInterface;

    private async Task FollowSleepAsync(CancellationToken cancellationToken)
    {
        await foreach (SleepTransition transition in sleep.Transitions.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (transition == SleepTransition.Resumed)
            {
                // The tunnel's flows are likely dead after a sleep; openconnect would notice only at its next dead-peer probe.
                LogResumed(logger);
                controller.RequestReconnect(ResumedReason);
            }
        }
    }

    private async Task FollowNetworkAsync(CancellationToken cancellationToken)
    {
        if (!_toldAtStart)
        {
            await network.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            TellNetworkState();
        }
        await foreach (NetworkChange change in network.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (change.Kind)
            {
                case NetworkChangeKind.Lost:
                    controller.NetworkLost();
                    break;
                case NetworkChangeKind.Available:
                    controller.NetworkAvailable();
                    break;
                case NetworkChangeKind.Changed:
                    controller.RequestReconnect(change.Reason);
                    break;
            }
        }
    }

    /// <summary>No route at start: the state machine must know, so that a connect waits for the network.</summary>
    private void TellNetworkState()
    {
        NetworkState? current = network.Current;
        LogFollowing(logger, current is null ? "unknown" : current.HasNetwork ? current.Describe() : "no route");
        if (current is { HasNetwork: false })
        {
            controller.NetworkLost();
        }
    }

    /// <summary>Follows the connection: its interface and its gateway's address, for the network follower.</summary>
    private async Task FollowTunnelAsync(CancellationToken cancellationToken)
    {
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe(capacity: 1024);
        await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            ConnectionStatus status = snapshot.Status;
            bool idle = status.State is ConnectionState.Disconnected or ConnectionState.Failed;
            string? tunnelInterface = idle ? null : status.Interface ?? _tunnelInterface;
            if (tunnelInterface != _tunnelInterface)
            {
                _tunnelInterface = tunnelInterface;
                network.SetInterfaceFilter(IsTunnelInterface);
            }
            IPAddress? gateway = idle ? null : GatewayAddress(status) ?? _gateway;
            if (!Equals(gateway, _gateway))
            {
                _gateway = gateway;
                network.SetGateway(gateway);
            }
        }
    }

    /// <summary>The address openconnect reported, else the gateway's own when it is an address (a host name is
    /// resolved by openconnect, and reported once the tunnel is up).</summary>
    private static IPAddress? GatewayAddress(ConnectionStatus status) =>
        IPAddress.TryParse(status.TunnelGateway, out IPAddress? reported) ? reported
        : IPAddress.TryParse(status.Gateway?.Address, out IPAddress? configured) ? configured
        : null;

    [LoggerMessage(EventId = EventIds.MachineResumed, Level = LogLevel.Information, Message = "Resumed from sleep: the tunnel reconnects now")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(EventId = EventIds.MachineFollowing, Level = LogLevel.Debug, Message = "The network at start: {State}")]
    private static partial void LogFollowing(ILogger logger, string state);
}
