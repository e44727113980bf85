namespace GpTunnel.Tests.Support;

/// <summary>How the stand-in behaves after reading its cookie.</summary>
internal sealed record StandInBehavior
{
    /// <summary>Print "Configured as" and run the --script with reason=pre-init and reason=connect, as openconnect does.</summary>
    public bool Connect { get; init; } = true;

    /// <summary>Record SIGTERM and keep running (a hanging openconnect).</summary>
    public bool IgnoreTerm { get; init; }

    /// <summary>Print the cookie back, as openconnect -v --dump-http-traffic would.</summary>
    public bool EchoCookie { get; init; }

    /// <summary>Exit with this code after the connect phase, printing <see cref="ExitLines"/> on stderr first.</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<string> ExitLines { get; init; } = [];

    /// <summary>
    /// Before exiting, leave a background child that keeps openconnect's stdout and stderr open (as a vpnc-script
    /// child may), so that the supervisor's readers never see end of file by themselves.
    /// </summary>
    public bool LeaveOutputHolder { get; init; }
}
