namespace GpDaemon.Connection;

internal sealed class AlreadyConnectedException(string portal, ConnectionState state)
    : Exception($"already connected to {portal} ({state})")
{
    public string Portal { get; } = portal;

    public ConnectionState State { get; } = state;
}
