using GpControl;

namespace GpDaemon.Config;

/// <summary>Where the daemon keeps its files: systemd's directories when run as a unit, else the FHS defaults.</summary>
internal sealed record DaemonPaths(string ConfigFile, string RuntimeDirectory, string StateDirectory, string SocketPath)
{
    public const string DefaultConfigFile = "/etc/gpdaemon/gpdaemon.toml";
    public const string DefaultStateDirectory = "/var/lib/gpdaemon";
    public const string PidFileName = "gpdaemon.pid";

    public string PidFile => Path.Combine(RuntimeDirectory, PidFileName);

    /// <summary>The instance name (gpdaemon@NAME.service); null for the default gpdaemon.service.</summary>
    public string? Instance { get; init; }

    /// <summary>The default daemon's runtime directory; every instance's is a subdirectory of it.</summary>
    public string InstancesRoot => Instance is null ? RuntimeDirectory : Path.GetDirectoryName(RuntimeDirectory)!;

    /// <summary>The tunnel's interface when the config names none: gp-NAME for an instance, openconnect's choice otherwise.</summary>
    public string? DefaultInterface => Instance is null ? null : InstanceName.DefaultInterface(Instance);

    public static DaemonPaths Resolve(string? config, string? runtimeDirectory, string? stateDirectory, string? socket, string? instance = null)
    {
        // systemd may pass several directories separated by ':'; ours is the first.
        static string? FromSystemd(string variable) =>
            Environment.GetEnvironmentVariable(variable)?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

        // An instance's directories are NAME/ inside the default's (systemd: RuntimeDirectory=gpdaemon/%i, ...).
        string Own(string directory) => instance is null ? directory : Path.Combine(directory, instance);
        string configName = (instance ?? "gpdaemon") + ".toml";
        string runtime = runtimeDirectory ?? FromSystemd("RUNTIME_DIRECTORY") ?? Own(ControlDefaults.RuntimeDirectory);
        string state = stateDirectory ?? FromSystemd("STATE_DIRECTORY") ?? Own(DefaultStateDirectory);
        string configFile = config ?? (FromSystemd("CONFIGURATION_DIRECTORY") is { } dir
            ? Path.Combine(dir, configName)
            : Path.Combine(Path.GetDirectoryName(DefaultConfigFile)!, configName));
        return new DaemonPaths(
            Path.GetFullPath(configFile),
            Path.GetFullPath(runtime),
            Path.GetFullPath(state),
            Path.GetFullPath(socket ?? Path.Combine(runtime, ControlDefaults.SocketFileName)))
        {
            Instance = instance,
        };
    }
}
