namespace GpDaemon.Config;

/// <summary>What a Connect without parameters falls back to: the config's portal, user and gateway.</summary>
internal sealed record ConnectDefaults(string? Portal, string? User, string? Gateway);
