using static GpDaemon.Connection.ConnectionEvent;
using static GpDaemon.Connection.ConnectionState;

namespace GpDaemon.Connection;

/// <summary>
/// The state diagram: every move the state machine may make, in one table (from, event, to). "Ignored" is a legal
/// event that changes nothing in that state (a reconnect already in progress absorbs another request). Anything not
/// in the table is a bug in the state machine and throws <see cref="IllegalTransitionException"/>.
/// </summary>
internal static class ConnectionTransitions
{
    private static readonly ConnectionState? Ignored = null;

    private static readonly Dictionary<(ConnectionState From, ConnectionEvent Event), ConnectionState?> Table = Build(
        // Starting: Connect is taken only when there is no connection (else AlreadyConnected).
        (Disconnected, Connect, Authenticating),
        (Failed, Connect, Authenticating),

        // The login, which may ask the user (a password, a code, a browser sign-in) any number of times.
        (Authenticating, LoginStarted, Authenticating),
        (Reconnecting, LoginStarted, Authenticating),
        (Authenticating, PromptShown, NeedsInput),
        (NeedsInput, PromptAnswered, Authenticating),

        // The tunnel. A reconnect stays Reconnecting until the new tunnel is up.
        (Authenticating, TunnelStarting, Connecting),
        (Reconnecting, TunnelStarting, Reconnecting),
        (Connecting, TunnelUp, Connected),
        (Reconnecting, TunnelUp, Connected),
        (Connected, TunnelUp, Connected),
        (Connecting, TunnelReconnecting, Reconnecting),
        (Connected, TunnelReconnecting, Reconnecting),
        (Reconnecting, TunnelReconnecting, Reconnecting),
        (Connecting, TunnelLost, Reconnecting),
        (Connected, TunnelLost, Reconnecting),
        (Reconnecting, TunnelLost, Reconnecting),

        // Told to reconnect from outside (a resume, a new route): only a working tunnel is; one in progress absorbs it.
        (Connected, ReconnectRequested, Reconnecting),
        (Connecting, ReconnectRequested, Ignored),
        (Reconnecting, ReconnectRequested, Ignored),
        (Authenticating, ReconnectRequested, Ignored),
        (NeedsInput, ReconnectRequested, Ignored),
        (Disconnecting, ReconnectRequested, Ignored),
        (Disconnected, ReconnectRequested, Ignored),
        (Failed, ReconnectRequested, Ignored),

        // No network: the tunnel waits for it (no attempts, no backoff), a login in progress runs to its own end.
        (Connected, NetworkLost, Reconnecting),
        (Connecting, NetworkLost, Reconnecting),
        (Reconnecting, NetworkLost, Reconnecting),
        (Authenticating, NetworkLost, Ignored),
        (NeedsInput, NetworkLost, Ignored),
        (Disconnecting, NetworkLost, Ignored),
        (Disconnected, NetworkLost, Ignored),
        (Failed, NetworkLost, Ignored),
        (Authenticating, NetworkWait, Reconnecting),
        (Reconnecting, NetworkWait, Reconnecting),
        (Reconnecting, NetworkAvailable, Reconnecting),
        (Connected, NetworkAvailable, Ignored),
        (Connecting, NetworkAvailable, Ignored),
        (Authenticating, NetworkAvailable, Ignored),
        (NeedsInput, NetworkAvailable, Ignored),
        (Disconnecting, NetworkAvailable, Ignored),
        (Disconnected, NetworkAvailable, Ignored),
        (Failed, NetworkAvailable, Ignored),

        // The end of an attempt.
        (Authenticating, Fail, Failed),
        (NeedsInput, Fail, Failed),
        (Connecting, Fail, Failed),
        (Connected, Fail, Failed),
        (Reconnecting, Fail, Failed),
        (Authenticating, Disconnect, Disconnecting),
        (NeedsInput, Disconnect, Disconnecting),
        (Connecting, Disconnect, Disconnecting),
        (Connected, Disconnect, Disconnecting),
        (Reconnecting, Disconnect, Disconnecting),
        (Disconnecting, Disconnect, Ignored),
        (Failed, Disconnect, Disconnected),
        (Disconnecting, Stopped, Disconnected));

    /// <summary>The state <paramref name="event"/> leads to from <paramref name="from"/>; null when it is legal and changes nothing.</summary>
    /// <exception cref="IllegalTransitionException">The table has no such move.</exception>
    public static ConnectionState? Next(ConnectionState from, ConnectionEvent @event) =>
        Table.TryGetValue((from, @event), out ConnectionState? to) ? to : throw new IllegalTransitionException(from, @event);

    /// <summary>Every (from, event) pair the table knows.</summary>
    internal static IEnumerable<(ConnectionState From, ConnectionEvent Event, ConnectionState? To)> All =>
        Table.Select(entry => (entry.Key.From, entry.Key.Event, entry.Value));

    private static Dictionary<(ConnectionState, ConnectionEvent), ConnectionState?> Build(
        params (ConnectionState From, ConnectionEvent Event, ConnectionState? To)[] rows) =>
        rows.ToDictionary(row => (row.From, row.Event), row => row.To);
}
