namespace GpDaemon.Control;

/// <summary>What the daemon says about itself: `gpdaemon --version`, the start-up log, GetInfo and every status.</summary>
internal static class DaemonInfo
{
    public static readonly string Version = typeof(DaemonInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
