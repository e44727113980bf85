namespace GpTunnel;

/// <summary>openconnect exited. The last event of a tunnel.</summary>
/// <param name="ExitCode">openconnect's exit status; 128+N when killed by signal N.</param>
/// <param name="CookieRejected">The gateway refused the session cookie (exit code 2 or openconnect said so):
/// reconnecting with the same cookie is pointless, log in again.</param>
/// <param name="LastError">The most telling error line openconnect printed, if any.</param>
public sealed record TunnelExited(int ExitCode, bool CookieRejected, string? LastError) : TunnelEvent;
