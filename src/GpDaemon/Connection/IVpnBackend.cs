using System.Threading.Channels;
using GpControl;

namespace GpDaemon.Connection;

/// <summary>What the state machine needs from the outside world: a login, and a tunnel built from it.</summary>
internal interface IVpnBackend
{
    Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken);

    Task<ITunnelHandle> StartTunnelAsync(LoginOutcome login, CancellationToken cancellationToken);

    /// <summary>Forgets the requester's saved session for the request's portal; false when there was none.</summary>
    bool ForgetSession(ConnectRequest request);
}

/// <summary>How a login asks the user for input and reports progress, through the state machine.</summary>
internal interface ILoginInteraction
{
    ValueTask<string> AskAsync(string message, bool secret, CancellationToken cancellationToken) =>
        AskAsync(message, secret, PromptSource.Portal, cancellationToken);

    /// <param name="message">The server's own label or prompt text.</param>
    /// <param name="secret">True when the answer must not be echoed or logged.</param>
    /// <param name="from">Who asks: "portal" or "gateway" (<see cref="PromptSource"/>).</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    ValueTask<string> AskAsync(string message, bool secret, string from, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for a browser sign-in's result (a globalprotectcallback: link or a cookie), until
    /// <paramref name="timeout"/>. <paramref name="url"/> or <paramref name="form"/> is what the browser opens.
    /// </summary>
    ValueTask<string> SignInAsync(string message, string? url, string? form, TimeSpan timeout, CancellationToken cancellationToken);

    void Progress(string message, Gateway? gateway);
}

/// <summary>A connection request. The password stays in memory only, for a later re-login.</summary>
internal sealed record ConnectRequest(string Portal, string? User, string? Password, string? Gateway)
{
    /// <summary>Who asked: a client, or the daemon's own boot-time autoconnect (which retries its failures).</summary>
    public ConnectSource Source { get; init; } = ConnectSource.Client;

    /// <summary>The uid that asked (set by the state machine); autoconnect asks as the daemon's own user.</summary>
    public uint Caller { get; init; }

    /// <summary>Whose saved session this request may use and replace: the caller's own, never another uid's.</summary>
    public string SessionOwner => "uid" + Caller.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Portal = ").Append(Portal).Append(", User = ").Append(User).Append(", Gateway = ").Append(Gateway);
        return true;
    }
}

internal enum ConnectSource
{
    Client,
    Autoconnect,
}

/// <summary>A successful login; <see cref="Session"/> is the backend's own (secret-bearing) data.</summary>
internal sealed record LoginOutcome(string Portal, string User, Gateway Gateway, IReadOnlyList<Gateway> Gateways, object Session)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Portal = ").Append(Portal).Append(", User = ").Append(User).Append(", Gateway = ").Append(Gateway.Name);
        return true;
    }
}

internal sealed record TunnelDetails(string? Interface, string? Ipv4, string? Ipv6, IReadOnlyList<string> Dns, IReadOnlyList<string> Routes)
{
    public IReadOnlyList<string> ExcludedRoutes { get; init; } = [];

    public IReadOnlyList<string> DnsDomains { get; init; } = [];
}

internal abstract record TunnelChange
{
    public sealed record Up(TunnelDetails Details) : TunnelChange;

    /// <summary>openconnect lost the gateway and is retrying by itself.</summary>
    public sealed record Reconnecting(string Reason) : TunnelChange;

    public sealed record Exited(int ExitCode, bool CookieRejected, string? Reason) : TunnelChange;
}

/// <summary>One running tunnel process.</summary>
internal interface ITunnelHandle : IAsyncDisposable
{
    int? ProcessId { get; }

    /// <summary>Every change in order; the last one is <see cref="TunnelChange.Exited"/>.</summary>
    ChannelReader<TunnelChange> Changes { get; }

    (long BytesIn, long BytesOut)? ReadCounters();

    /// <summary>What became of the host-information report before this tunnel started; null when none was tried.</summary>
    string? HipReport => null;

    /// <summary>Stops the tunnel (logging out at the gateway) and waits until it is gone.</summary>
    ValueTask StopAsync(CancellationToken cancellationToken);
}

/// <summary>A failure with the message a user should read.</summary>
internal sealed class ConnectFailedException(FailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}

internal enum FailureKind
{
    Authentication,
    Portal,
    Tunnel,
}
