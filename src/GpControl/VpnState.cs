namespace GpControl;

/// <summary>The connection states, as named on the wire.</summary>
public enum VpnState
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
