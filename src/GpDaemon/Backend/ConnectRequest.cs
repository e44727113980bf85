namespace GpDaemon.Backend;

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
