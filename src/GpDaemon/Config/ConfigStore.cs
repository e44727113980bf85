using GpTunnel.Interop;

namespace GpDaemon.Config;

/// <summary>
/// The configuration in force, replaceable by a reload (SIGHUP, `systemctl reload`). Readers take <see cref="Current"/>
/// at the moment they act, so a reload applies to the next login, tunnel start or permission check, and never tears
/// down a working tunnel.
/// </summary>
internal sealed class ConfigStore
{
    private readonly string _path;
    private volatile Snapshot _snapshot;

    public ConfigStore(string path, DaemonConfig initial, IReadOnlyList<string>? warnings = null)
    {
        _path = path;
        _snapshot = new Snapshot(initial, Resolve(initial));
        Warnings = warnings ?? [];
    }

    /// <summary>What the last load ignored or assumed (unknown keys, a missing file), for the log.</summary>
    public IReadOnlyList<string> Warnings { get; private set; }

    public DaemonConfig Current => _snapshot.Config;

    /// <summary>The group whose members may control the daemon, resolved with the configuration it belongs to.</summary>
    public ResolvedGroup ControlGroup => _snapshot.ControlGroup;

    public ConnectDefaults Defaults => new(Current.Portal, Current.User, Current.Gateway);

    /// <summary>Rereads the file. On error the old configuration stays in force and the error says why.</summary>
    public (DaemonConfig Previous, DaemonConfig Current) Reload()
    {
        DaemonConfig next = ConfigReader.Load(_path, out IReadOnlyList<string> warnings);
        DaemonConfig previous = _snapshot.Config;
        _snapshot = new Snapshot(next, Resolve(next));
        Warnings = warnings;
        return (previous, next);
    }

    /// <summary>Whether two configurations would build a different connection (so a reload cannot apply it live).</summary>
    public static bool ConnectionSettingsDiffer(DaemonConfig a, DaemonConfig b) =>
        a.ServerCert != b.ServerCert
        || a.CaFile != b.CaFile
        || a.Client != b.Client
        || a.OpenConnect with { ExtraArgs = [] } != b.OpenConnect with { ExtraArgs = [] }
        || !a.OpenConnect.ExtraArgs.SequenceEqual(b.OpenConnect.ExtraArgs);

    private static ResolvedGroup Resolve(DaemonConfig config) => new(config.ControlGroup, Native.GetGroupId(config.ControlGroup));

    private sealed record Snapshot(DaemonConfig Config, ResolvedGroup ControlGroup);
}
