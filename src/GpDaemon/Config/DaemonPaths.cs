using GpControl;

namespace GpDaemon.Config;

/// <summary>Where the daemon keeps its files: systemd's directories when run as a unit, else the FHS defaults.</summary>
internal sealed record DaemonPaths(string ConfigFile, string RuntimeDirectory, string StateDirectory, string SocketPath)
{
    public const string DefaultConfigFile = "/etc/gpdaemon/gpdaemon.toml";
    public const string DefaultStateDirectory = "/var/lib/gpdaemon";
    public const string PidFileName = "gpdaemon.pid";

    public string PidFile => Path.Combine(RuntimeDirectory, PidFileName);

    public static DaemonPaths Resolve(string? config, string? runtimeDirectory, string? stateDirectory, string? socket)
    {
        // systemd may pass several directories separated by ':'; ours is the first.
        static string? FromSystemd(string variable) =>
            Environment.GetEnvironmentVariable(variable)?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

        string runtime = runtimeDirectory ?? FromSystemd("RUNTIME_DIRECTORY") ?? ControlDefaults.RuntimeDirectory;
        string state = stateDirectory ?? FromSystemd("STATE_DIRECTORY") ?? DefaultStateDirectory;
        string configFile = config ?? (FromSystemd("CONFIGURATION_DIRECTORY") is { } dir
            ? Path.Combine(dir, "gpdaemon.toml")
            : DefaultConfigFile);
        return new DaemonPaths(
            Path.GetFullPath(configFile),
            Path.GetFullPath(runtime),
            Path.GetFullPath(state),
            Path.GetFullPath(socket ?? Path.Combine(runtime, ControlDefaults.SocketFileName)));
    }
}
