namespace GpControl;

/// <param name="Forgot">With forget: the portal whose saved session was removed; null when there was none.</param>
public sealed record DisconnectReply(VpnStatus Status, string? Forgot = null);
