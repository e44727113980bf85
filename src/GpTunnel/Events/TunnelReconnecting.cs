namespace GpTunnel;

/// <summary>openconnect lost the gateway and is reconnecting by itself (dead peer, rekey, attempt-reconnect).</summary>
public sealed record TunnelReconnecting(string Reason) : TunnelEvent;
