namespace GpTunnel;

/// <summary>The tunnel carries traffic: openconnect ran the script with reason=connect or reconnect
/// (or, with --script-tun, started the packet handler). May repeat with more complete information.</summary>
public sealed record TunnelUp(TunnelInfo Info) : TunnelEvent;
