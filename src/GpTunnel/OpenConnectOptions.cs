namespace GpTunnel;

/// <summary>How openconnect is run. Paths are absolute; the defaults match the Debian packages.</summary>
public sealed record OpenConnectOptions
{
    public string Path { get; init; } = "/usr/sbin/openconnect";

    /// <summary>The vpnc-script the generated wrapper forwards to. Not used with <see cref="ScriptTun"/>.</summary>
    public string VpncScript { get; init; } = "/usr/share/vpnc-scripts/vpnc-script";

    /// <summary>Tun interface name (--interface); null lets openconnect choose.</summary>
    public string? Interface { get; init; }

    /// <summary>--script-tun: no tun device, the wrapper holds the packet socket. Works unprivileged (demo, tests).</summary>
    /// <summary>
    /// With <see cref="ScriptTun"/>: the program that carries the packets (ocproxy, tunsocks, or a test's own), started with
    /// the packet socket in $VPNFD. Null: packets from the gateway are drained and dropped.
    /// </summary>
    public string? TunHandler { get; init; }

    public bool ScriptTun { get; init; }

    public int? Mtu { get; init; }

    /// <summary>
    /// Dead-peer detection interval (--force-dpd), whole seconds. openconnect then probes the gateway this often and
    /// reconnects when the probes go unanswered, so a tunnel that silently stopped passing traffic (after a resume, a
    /// network change) is noticed in bounded time. Null: the gateway's or openconnect's own interval.
    /// </summary>
    public TimeSpan? DeadPeerInterval { get; init; }

    /// <summary>Split routes applied through the wrapper's environment for the vpnc-script.</summary>
    public SplitRoutes Routes { get; init; } = SplitRoutes.None;

    /// <summary>DNS domains resolved by the tunnel's servers in addition to the gateway's (CISCO_SPLIT_DNS).</summary>
    public IReadOnlyList<string> SplitDnsDomains { get; init; } = [];

    /// <summary>Passed verbatim before the gateway argument.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Directory for the wrapper script and openconnect.pid. Created 0700 when missing;
    /// must not be writable by group or others because openconnect runs the wrapper as its own user.</summary>
    public required string RuntimeDirectory { get; init; }

    /// <summary>How long to wait after the one SIGTERM before SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
