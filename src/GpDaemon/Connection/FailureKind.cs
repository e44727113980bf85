namespace GpDaemon.Connection;

internal enum FailureKind
{
    Authentication,
    Portal,
    Tunnel,
}
