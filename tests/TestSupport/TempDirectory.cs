namespace GpDaemon.TestSupport;

/// <summary>A scratch directory under /tmp, readable by other users (the permission tests run gpctl as another user).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "gpd-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ed /* 0755 */);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file only its owner may read (0600), as a password file must be; returns its path.</summary>
    public string WritePrivate(string name, string content)
    {
        string path = Combine(name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
