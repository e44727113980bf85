namespace GpTunnel.Logging;

/// <summary>
/// Every log event id of the supervisor, in one table (3000-3099, a range no other assembly of the daemon uses). Ids
/// are stable: dashboards and tests key on them, so a new event gets a new id.
/// </summary>
internal static class EventIds
{
    // 3000-3009: start-up and output.
    public const int Starting = 3000;
    public const int Started = 3001;
    public const int Output = 3002;
    public const int ErrorOutput = 3003;
    public const int WrapperReport = 3004;

    // 3010-3019: the tunnel's life.
    public const int TunnelUp = 3010;
    public const int Reconnecting = 3011;
    public const int Exited = 3012;
    public const int SessionExpires = 3013;
    public const int ReconnectRequested = 3014;

    // 3020-3029: stopping.
    public const int Stopping = 3020;
    public const int Killing = 3021;
    public const int InterfaceLingers = 3022;

    // 3030-3039: the vpnc-script wrapper.
    public const int VpncScriptFailed = 3030;
    public const int UnsafeVariable = 3031;
    public const int VpncDisconnectRunning = 3032;
    public const int VpncDisconnectDone = 3033;
    public const int VpncDisconnectFailed = 3034;
    public const int VpncDisconnectNotStarted = 3035;
    public const int VpncDisconnectOutput = 3036;

    // 3040-3049: files and pipes.
    public const int PidFileFailed = 3040;
    public const int OutputFailed = 3041;

    // 3050-3059: a leftover openconnect.
    public const int NoLeftover = 3050;
    public const int LeftoverChecked = 3051;
    public const int StoppingLeftover = 3052;
}
