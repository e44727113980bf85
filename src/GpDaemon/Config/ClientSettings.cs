namespace GpDaemon.Config;

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
    /// <summary>
    /// The program that writes the report (openconnect's --csd-wrapper convention): null for Debian's hipreport.sh when
    /// it is installed, else the built-in report; empty for the built-in report.
    /// </summary>
    public string? HipScript { get; init; }
}
