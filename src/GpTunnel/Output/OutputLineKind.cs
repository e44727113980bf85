namespace GpTunnel.Output;

/// <summary>What a line of openconnect output means to the supervisor.</summary>
internal enum OutputLineKind
{
    Other,
    Blank,

    /// <summary>Printed on stderr but not a failure (MTU guesses, HIP and IPv6 warnings).</summary>
    Notice,
    Configured,
    EspEstablished,
    DeadPeer,

    /// <summary>The HTTPS tunnel broke ("Packet receive error"); openconnect reconnects at once.</summary>
    ConnectionLost,

    /// <summary>"POST https://HOST/ssl-vpn/hipreportcheck.esp": the last request before the tunnel request.</summary>
    HipCheckRequest,
    RekeyDue,
    ReconnectWait,
    ReconnectFailed,
    CookieRejected,
    SessionExpires,
    UserCancelled,
    UserDetached,
    Exiting,
    TunSetupFailed,
    CertificateMismatch,
    ConnectionFailed,
    LogoutSucceeded,
    LogoutFailed,
}
