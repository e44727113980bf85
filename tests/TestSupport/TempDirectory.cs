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
