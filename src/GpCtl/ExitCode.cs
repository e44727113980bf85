namespace GpCtl;

/// <summary>gpctl's exit codes, as documented (README, gpctl --help).</summary>
internal static class ExitCode
{
    public const int Ok = 0;
    public const int Failed = 1;             // also: `status` when not Connected
    public const int Usage = 2;
    public const int DaemonUnreachable = 3;
    public const int AlreadyConnected = 4;
    public const int AuthenticationFailed = 5;
    public const int PermissionDenied = 77;
}
