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
}
