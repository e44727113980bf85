namespace GpDaemon;

/// <summary>gpdaemon's exit codes (documented in the README; the unit file does not restart on 2, 3 and 78).</summary>
internal static class DaemonExitCode
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int AlreadyRunning = 3;
    public const int ConfigError = 78; // EX_CONFIG, which systemd also names "CONFIG"
}
