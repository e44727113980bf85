namespace GpDaemon.Connection;

internal abstract record TunnelChange
{
    public sealed record Up(TunnelDetails Details) : TunnelChange;

    /// <summary>openconnect lost the gateway and is retrying by itself.</summary>
    public sealed record Reconnecting(string Reason) : TunnelChange;

    public sealed record Exited(int ExitCode, bool CookieRejected, string? Reason) : TunnelChange;
}
