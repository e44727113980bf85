namespace GpControl;

public sealed record Gateway(string Name, string Address, int? Priority);

public sealed record Prompt(string Id, string Message, bool Secret)
{
    /// <summary>Who asks: <see cref="PromptSource.Portal"/> or <see cref="PromptSource.Gateway"/> (older daemons: absent).</summary>
    public string? From { get; init; }

    /// <summary>The kind for a sign-in in the browser; absent means a text answer (password, code).</summary>
    public const string BrowserKind = "browser";

    /// <summary><see cref="BrowserKind"/>, or null for a text prompt.</summary>
    public string? Kind { get; init; }

    /// <summary>A browser sign-in's address (the identity provider), to open in the user's browser.</summary>
    public string? Url { get; init; }

    /// <summary>A browser sign-in by POST: the HTML page whose form the browser must submit.</summary>
    public string? Form { get; init; }

    /// <summary>When the daemon stops waiting for the answer (ISO 8601, UTC).</summary>
    public string? Expires { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsBrowserSignIn => Kind == BrowserKind;
}

/// <summary>The values of <see cref="Prompt.From"/>.</summary>
public static class PromptSource
{
    public const string Portal = "portal";
    public const string Gateway = "gateway";
}

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
