namespace GpTunnel;

/// <summary>What happened to the tunnel, in the order openconnect reported it.</summary>
public abstract record TunnelEvent;

/// <summary>The tunnel carries traffic: openconnect ran the script with reason=connect or reconnect
/// (or, with --script-tun, started the packet handler). May repeat with more complete information.</summary>
public sealed record TunnelUp(TunnelInfo Info) : TunnelEvent;

/// <summary>openconnect lost the gateway and is reconnecting by itself (dead peer, rekey, attempt-reconnect).</summary>
public sealed record TunnelReconnecting(string Reason) : TunnelEvent;

/// <summary>openconnect exited. The last event of a tunnel.</summary>
/// <param name="ExitCode">openconnect's exit status; 128+N when killed by signal N.</param>
/// <param name="CookieRejected">The gateway refused the session cookie (exit code 2 or openconnect said so):
/// reconnecting with the same cookie is pointless, log in again.</param>
/// <param name="LastError">The most telling error line openconnect printed, if any.</param>
public sealed record TunnelExited(int ExitCode, bool CookieRejected, string? LastError) : TunnelEvent;
