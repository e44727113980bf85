namespace GpDaemon.Connection;

internal sealed class AlreadyConnectedException(string portal, string state)
    : Exception($"already connected to {portal} ({state})")
{
    public string Portal { get; } = portal;

    public string State { get; } = state;
}
