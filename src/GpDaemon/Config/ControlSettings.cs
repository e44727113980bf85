namespace GpDaemon.Config;

internal sealed record ControlSettings
{
    public int MaxConnections { get; init; } = 128;
    public int MaxConnectionsPerUser { get; init; } = 16;
    public int MaxMessageBytes { get; init; } = GpControl.ControlDefaults.MaxMessageBytes;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
