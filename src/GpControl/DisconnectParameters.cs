namespace GpControl;

/// <param name="Forget">Also remove the caller's saved session (for <paramref name="Portal"/>, else the connection's portal, else the configured one).</param>
public sealed record DisconnectParameters(bool? Forget = null, string? Portal = null);
