namespace GpTunnel.Output;

/// <summary>One parsed line of openconnect output.</summary>
/// <param name="Kind">What it means.</param>
/// <param name="Text">The line as printed (already redacted by the caller when it came from the process).</param>
internal sealed record OutputLine(OutputLineKind Kind, string Text)
{
    /// <summary>From "Configured as": the IPv4 address, when one was printed.</summary>
    public string? Ipv4 { get; init; }

    /// <summary>From "Configured as": the IPv6 address (possibly with /prefix).</summary>
    public string? Ipv6 { get; init; }

    /// <summary>From "Configured as": whether the SSL (HTTPS) tunnel was connected.</summary>
    public bool? SslConnected { get; init; }

    /// <summary>From "Session authentication will expire at".</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Lines that say why openconnect gives up, in generic words ("Unknown error; exiting.").
    /// A more specific error printed before them is the better explanation.</summary>
    public bool IsGenericFailure => Kind is OutputLineKind.Exiting or OutputLineKind.ConnectionFailed
        or OutputLineKind.ReconnectFailed;

    /// <summary>Lines worth reporting as the reason openconnect failed.</summary>
    public bool IsError => Kind is OutputLineKind.CookieRejected or OutputLineKind.TunSetupFailed
        or OutputLineKind.CertificateMismatch or OutputLineKind.ConnectionFailed or OutputLineKind.ReconnectFailed
        or OutputLineKind.Exiting or OutputLineKind.LogoutFailed;
}
