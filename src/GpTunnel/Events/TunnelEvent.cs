namespace GpTunnel;

/// <summary>What happened to the tunnel, in the order openconnect reported it.</summary>
public abstract record TunnelEvent;
