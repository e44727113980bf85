using GpControl;

namespace GpDaemon.Connection;

/// <summary>
/// The state machine's view of the connection. Never carries a secret. Clients see it as a GpControl.VpnStatus,
/// mapped in one place at the control boundary.
/// </summary>
internal sealed record ConnectionStatus(ConnectionState State)
{
    public static ConnectionStatus Disconnected { get; } = new(ConnectionState.Disconnected);

    public string? Portal { get; init; }
    public Gateway? Gateway { get; init; }
    public string? User { get; init; }
    public string? Interface { get; init; }
    /// <summary>The gateway's address as openconnect resolved and uses it; only for following the route to it.</summary>
    public string? TunnelGateway { get; init; }
    public string? Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
    public IReadOnlyList<string>? Dns { get; init; }
    public IReadOnlyList<string>? DnsDomains { get; init; }
    public IReadOnlyList<string>? Routes { get; init; }
    public IReadOnlyList<string>? ExcludedRoutes { get; init; }
    public DateTimeOffset? ConnectedSince { get; init; }
    /// <summary>The host-information report after the gateway login: "sent", "not needed", "off" or "failed: why".</summary>
    public string? HipReport { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public int? OpenconnectPid { get; init; }
    public string? Message { get; init; }
    public Prompt? Prompt { get; init; }

    /// <summary>One line for the journal and systemd's STATUS=: "Connected to vpn.example.com via US East, 10.1.2.3".</summary>
    /// <remarks>The same words as GpControl.VpnStatus.Summary, which gpctl shows (a test holds them equal).</remarks>
    public string Summary()
    {
        string portal = Portal ?? "?";
        return State switch
        {
            ConnectionState.Connected => $"Connected to {portal}" + (Gateway is null ? "" : $" via {Gateway.Name}") + (Ipv4 is null ? "" : $", {Ipv4}"),
            ConnectionState.Authenticating => $"Authenticating to {portal}",
            ConnectionState.NeedsInput when Prompt is { IsBrowserSignIn: true } => "Waiting for sign-in: run gpctl connect",
            ConnectionState.NeedsInput => $"Waiting for input for {portal}" + (Prompt is null ? "" : $": {Prompt.Message}"),
            ConnectionState.Connecting => $"Connecting to {portal}" + (Gateway is null ? "" : $" via {Gateway.Name}"),
            ConnectionState.Reconnecting => $"Reconnecting to {portal}" + (Message is null ? "" : $": {Message}"),
            ConnectionState.Disconnecting => $"Disconnecting from {portal}",
            ConnectionState.Failed => $"Failed" + (Portal is null ? "" : $" ({portal})") + (Message is null ? "" : $": {Message}"),
            _ => "Disconnected",
        };
    }
}
