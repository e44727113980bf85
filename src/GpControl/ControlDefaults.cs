namespace GpControl;

/// <summary>Paths and limits both sides agree on.</summary>
public static class ControlDefaults
{
    public const string RuntimeDirectory = "/run/gpdaemon";
    public const string SocketFileName = "gpdaemon.sock";
    public const string SocketEnvironmentVariable = "GPDAEMON_SOCKET";
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The socket gpctl talks to: --socket, else $GPDAEMON_SOCKET, else the system daemon's.</summary>
    public static string ResolveSocketPath(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return explicitPath;
        }
        string? fromEnvironment = Environment.GetEnvironmentVariable(SocketEnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? Path.Combine(RuntimeDirectory, SocketFileName) : fromEnvironment;
    }

    /// <summary>
    /// The socket of instance <paramref name="instance"/> (null: the default one). Instances live beside the default
    /// daemon: /run/gpdaemon/NAME/gpdaemon.sock, or DIR/NAME/gpdaemon.sock when the default socket is DIR/....
    /// </summary>
    public static string ResolveSocketPath(string? explicitPath, string? instance)
    {
        string socket = ResolveSocketPath(explicitPath);
        return instance is null ? socket : InstanceSocketPath(Path.GetDirectoryName(Path.GetFullPath(socket))!, instance);
    }

    /// <summary>Where instance <paramref name="instance"/> listens, under the default daemon's runtime directory.</summary>
    public static string InstanceSocketPath(string root, string instance) => Path.Combine(root, instance, SocketFileName);
}
