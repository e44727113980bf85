namespace GpDaemon.Connection;

/// <summary>Where the one connection is; <see cref="ConnectionTransitions"/> says how it moves between them.</summary>
internal enum ConnectionState
{
    Disconnected,
    Authenticating,
    NeedsInput,
    Connecting,
    Connected,
    Reconnecting,
    Disconnecting,
    Failed,
}
