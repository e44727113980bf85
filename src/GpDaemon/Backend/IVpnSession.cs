namespace GpDaemon.Backend;

/// <summary>
/// A backend's login, opaque to the state machine: it starts the tunnels of this login (the first one, and each
/// reconnect that reuses it) and keeps its secrets to itself.
/// </summary>
internal interface IVpnSession
{
    Task<ITunnelHandle> StartTunnelAsync(CancellationToken cancellationToken);
}
