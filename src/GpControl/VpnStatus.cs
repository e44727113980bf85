namespace GpControl;

/// <summary>Everything a client may know about the connection. Never carries a secret.</summary>
public sealed record VpnStatus
{
    public required string State { get; init; }
    public string? Portal { get; init; }
    public Gateway? Gateway { get; init; }
    public string? User { get; init; }
    public string? Interface { get; init; }
    public string? Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
    public IReadOnlyList<string>? Dns { get; init; }
    public IReadOnlyList<string>? DnsDomains { get; init; }
    public IReadOnlyList<string>? Routes { get; init; }
    public IReadOnlyList<string>? ExcludedRoutes { get; init; }
    public string? ConnectedSince { get; init; }
    /// <summary>The host-information report after the gateway login: "sent", "not needed", "off" or "failed: why".</summary>
    public string? HipReport { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public int? OpenconnectPid { get; init; }
    public required int DaemonPid { get; init; }
    public required string Version { get; init; }
    public string? Message { get; init; }
    public Prompt? Prompt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public VpnState StateValue => Enum.TryParse(State, out VpnState state) ? state : VpnState.Failed;

    /// <summary>One line for humans and for systemd's STATUS=: "Connected to vpn.example.com via US East, 10.1.2.3".</summary>
    public string Summary()
    {
        string portal = Portal ?? "?";
        return StateValue switch
        {
            VpnState.Connected => $"Connected to {portal}" + (Gateway is null ? "" : $" via {Gateway.Name}") + (Ipv4 is null ? "" : $", {Ipv4}"),
            VpnState.Authenticating => $"Authenticating to {portal}",
            VpnState.NeedsInput when Prompt is { IsBrowserSignIn: true } => "Waiting for sign-in: run gpctl connect",
            VpnState.NeedsInput => $"Waiting for input for {portal}" + (Prompt is null ? "" : $": {Prompt.Message}"),
            VpnState.Connecting => $"Connecting to {portal}" + (Gateway is null ? "" : $" via {Gateway.Name}"),
            VpnState.Reconnecting => $"Reconnecting to {portal}" + (Message is null ? "" : $": {Message}"),
            VpnState.Disconnecting => $"Disconnecting from {portal}",
            VpnState.Failed => $"Failed" + (Portal is null ? "" : $" ({portal})") + (Message is null ? "" : $": {Message}"),
            _ => "Disconnected",
        };
    }
}
