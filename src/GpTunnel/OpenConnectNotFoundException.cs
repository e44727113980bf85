namespace GpTunnel;

/// <summary>The configured openconnect binary is missing or not executable.</summary>
public sealed class OpenConnectNotFoundException : Exception
{
    public OpenConnectNotFoundException(string path)
        : base($"openconnect not found at {path}: install the Debian package 'openconnect' (apt install openconnect)")
    {
        Path = path;
    }

    public OpenConnectNotFoundException(string path, Exception innerException)
        : base($"openconnect not found at {path}: install the Debian package 'openconnect' (apt install openconnect)", innerException)
    {
        Path = path;
    }

    public string Path { get; }
}
