namespace GpDaemon.Logging;

/// <summary>
/// Every log event id of the daemon, in one table so that none is used twice. Ids reach the journal as EVENT_ID and
/// dashboards key on them: an id keeps its meaning, a new event gets a new id in its concern's range.
/// 3000-3099 belong to GpTunnel (GpTunnel.Logging.EventIds), whose events the daemon logs too.
/// </summary>
internal static class EventIds
{
    // 1-99: the host (DaemonHost).
    public const int Starting = 1;
    public const int Stopped = 2;
    public const int Failed = 3;
    public const int ConfigWarning = 4;

    // 1000-1099: the connection state machine (ConnectionStateMachine).
    public const int StateChanged = 1000;
    public const int ConnectStarted = 1001;
    public const int LoggedIn = 1002;
    public const int ConnectFailed = 1003;
    public const int TunnelExited = 1004;
    public const int Reconnecting = 1005;
    public const int SignInRefused = 1006;
    public const int ConnectUnexpectedError = 1007;
    public const int StopFailed = 1008;
    public const int Progress = 1009;
    public const int ReconnectRequested = 1010;
    public const int ReconnectAbsorbed = 1011;
    public const int NetworkLost = 1012;
    public const int NetworkAvailable = 1013;

    // 2000-2099: the control socket (ControlServer, ControlConnection).
    public const int Listening = 2000;
    public const int AcceptFailed = 2001;
    public const int ConnectionsRefused = 2002;
    public const int ConnectionIdle = 2010;
    public const int ConnectionProtocolError = 2011;
    public const int ConnectionTooSlow = 2012;
    public const int ConnectionUnexpectedError = 2013;

    // 2100-2199: control calls (ControlDispatcher).
    public const int PermissionDenied = 2100;
    public const int DisconnectRequested = 2101;

    // 4000-4099: saved sessions (SessionStore).
    public const int SessionSaved = 4000;
    public const int SessionNotSaved = 4001;
    public const int SessionUnreadable = 4002;
    public const int SessionForgotten = 4003;

    // 4100-4199: the host-information report (GlobalProtectBackend, HipScriptRunner).
    public const int HipReport = 4100;
    public const int HipReportFailed = 4101;
    public const int HipScriptRunning = 4102;
    public const int HipScriptStderr = 4103;
    public const int HipScriptNotAsNobody = 4104;

    // 5000-5099: a tunnel left over by a previous daemon (LeftoverTunnelCleaner).
    public const int LeftoverTunnel = 5000;

    // 6000-6099: boot-time autoconnect (Autoconnect).
    public const int AutoconnectStarting = 6000;
    public const int AutoconnectRetrying = 6001;
    public const int AutoconnectStandingDown = 6002;
    public const int AutoconnectNoPassword = 6003;
    public const int AutoconnectGivingUp = 6004;

    // 7000-7099: configuration reload (ReloadHandler).
    public const int Reloaded = 7000;
    public const int ReloadedWithChanges = 7001;
    public const int ReloadFailed = 7002;

    // 8000-8099: the instance lock file (LockGuard).
    public const int LockFileRestored = 8000;
    public const int LockFileNotRestored = 8001;

    // 9000-9099: systemd integration (WatchdogPinger).
    public const int WatchdogEnabled = 9000;

    // 9100-9199: named instances' claims on interfaces and portals (InstanceRegistry).
    public const int InstanceClaimed = 9100;
    public const int InstanceClaimRefused = 9101;
    public const int InstanceClaimReleased = 9102;

    // 10000-10099: suspend and resume (SleepFollower).
    public const int SleepFollowing = 10000;
    public const int SleepNoBus = 10001;
    public const int SleepBusRetry = 10002;
    public const int SleepBusLost = 10003;
    public const int SleepOwnerChanged = 10004;
    public const int SleepSignalIgnored = 10005;
    public const int SleepTransition = 10006;

    // 10100-10199: routes and addresses (NetworkFollower).
    public const int NetworkFollowing = 10100;
    public const int NetworkUnavailable = 10101;
    public const int NetworkChange = 10102;

    // 10200-10299: suspend, resume and network changes reaching the connection (MachineEvents).
    public const int MachineResumed = 10200;
    public const int MachineFollowing = 10201;
}
