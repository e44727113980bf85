namespace GpDaemon.TestSupport;

public static class Files
{
    /// <summary>Reads a file another process holds a flock on (File.ReadAllText would ask for a shared lock and fail).</summary>
    public static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
