namespace GpDaemon.TestSupport;

/// <summary>The built programs under test: out/gpdaemon, out/gpctl, out/fake-globalprotect (make build).</summary>
public static class Binaries
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string OutDirectory { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("GPDAEMON_OUT") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(RepositoryRoot, "out"));

    public static string Daemon => Require("gpdaemon");

    public static string Ctl => Require("gpctl");

    public static string FakePortal => Require("fake-globalprotect");

    private static string Require(string name)
    {
        string path = Path.Combine(OutDirectory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run 'make build' first (or set GPDAEMON_OUT)");
        }
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GpDaemon.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("cannot find the repository root (GpDaemon.sln) above " + AppContext.BaseDirectory);
    }
}
