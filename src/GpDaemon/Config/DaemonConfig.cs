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

/// <summary>[dns]: applied at the next connect.</summary>
internal sealed record DnsSettings
{
    /// <summary>Domains resolved by the tunnel's DNS servers in addition to the gateway's.</summary>
    public IReadOnlyList<string> SplitDomains { get; init; } = [];
}

/// <summary>[routes]: split tunnel, applied at the next connect.</summary>
internal sealed record RouteSettings
{
    /// <summary>Only these networks through the tunnel, replacing the gateway's list; null keeps the gateway's.</summary>
    public IReadOnlyList<System.Net.IPNetwork>? Include { get; init; }

    /// <summary>Never through the tunnel.</summary>
    public IReadOnlyList<System.Net.IPNetwork> Exclude { get; init; } = [];
}

internal sealed record ClientSettings
{
    public string Os { get; init; } = "Linux";
    public string Version { get; init; } = "4100";
    public string? Computer { get; init; }
    public string UserAgent { get; init; } = "PAN GlobalProtect";
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The longest wait for a browser sign-in (the portal's saml-request-timeout when shorter).</summary>
    public TimeSpan SignInTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Send a host-information report after the gateway login when the gateway asks for one.</summary>
    public bool HipReport { get; init; } = true;
}

internal sealed record OpenConnectSettings
{
    public string Path { get; init; } = "/usr/sbin/openconnect";
    public string Script { get; init; } = "/usr/share/vpnc-scripts/vpnc-script";
    public string? Interface { get; init; }
    public int? Mtu { get; init; }
    public bool ScriptTun { get; init; }
    public string? TunHandler { get; init; }
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

internal sealed record ControlSettings
{
    public int MaxConnections { get; init; } = 128;
    public int MaxConnectionsPerUser { get; init; } = 16;
    public int MaxMessageBytes { get; init; } = GpControl.ControlDefaults.MaxMessageBytes;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

internal sealed record ReconnectSettings
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}
