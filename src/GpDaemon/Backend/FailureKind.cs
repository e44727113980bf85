namespace GpDaemon.Backend;

internal enum FailureKind
{
    Authentication,
    Portal,
    Tunnel,
}
