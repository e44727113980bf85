namespace GpDaemon.Config;

/// <summary>The daemon's settings (/etc/gpdaemon/gpdaemon.toml). Every key is optional.</summary>
internal sealed record DaemonConfig
{
    public string? Portal { get; init; }
    public string? User { get; init; }
    public string? Gateway { get; init; }
    public bool Autoconnect { get; init; }
    public string? PasswordFile { get; init; }
    public string? ServerCert { get; init; }
    public string? CaFile { get; init; }
    public string ControlGroup { get; init; } = "gpdaemon";
    public string LogLevel { get; init; } = "info";
    public ClientSettings Client { get; init; } = new();
    public OpenConnectSettings OpenConnect { get; init; } = new();
    public ControlSettings Control { get; init; } = new();
    public ReconnectSettings Reconnect { get; init; } = new();
    public RouteSettings Routes { get; init; } = new();
    public DnsSettings Dns { get; init; } = new();
}
