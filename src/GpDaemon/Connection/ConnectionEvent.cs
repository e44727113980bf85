namespace GpDaemon.Connection;

/// <summary>What moves the state machine: the rows of <see cref="ConnectionTransitions"/>.</summary>
internal enum ConnectionEvent
{
    /// <summary>A client or autoconnect asked to connect.</summary>
    Connect,
    /// <summary>A login to the portal begins (the first, or again after the gateway refused the session).</summary>
    LoginStarted,
    /// <summary>The login asks the user something (a password, a code, a browser sign-in).</summary>
    PromptShown,
    PromptAnswered,
    /// <summary>openconnect is being started with the login.</summary>
    TunnelStarting,
    /// <summary>openconnect reports the tunnel up (first time, or back after a reconnect).</summary>
    TunnelUp,
    /// <summary>openconnect lost the gateway and is reconnecting by itself.</summary>
    TunnelReconnecting,
    /// <summary>openconnect exited and the attempt will start it again (after a delay, a new login, or the network).</summary>
    TunnelLost,
    /// <summary>The attempt cannot go on: a refused login, a tunnel that never came up, an unexpected error.</summary>
    Fail,
    /// <summary>A client (or shutdown) asked to disconnect.</summary>
    Disconnect,
    /// <summary>Everything the attempt started is gone.</summary>
    Stopped,
    /// <summary>Something outside the tunnel says it should reconnect now (a resume, a new route).</summary>
    ReconnectRequested,
    /// <summary>The machine has no network (no default route).</summary>
    NetworkLost,
    /// <summary>The attempt is about to log in or start openconnect and finds the network gone: it waits.</summary>
    NetworkWait,
    /// <summary>The network is back.</summary>
    NetworkAvailable,
}
