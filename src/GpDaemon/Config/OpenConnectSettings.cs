namespace GpDaemon.Config;

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
    public TimeSpan DeadPeerInterval { get; init; } = TimeSpan.FromSeconds(30);
}
