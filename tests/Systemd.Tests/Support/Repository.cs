namespace Systemd.Tests.Support;

/// <summary>The source tree (for `make install` and packaging/) and the built programs under test (make build).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>GPDAEMON_OUT, or out/ in the tree: gpdaemon, gpctl, fake-globalprotect.</summary>
    public static string OutDirectory { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("GPDAEMON_OUT") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(Root, "out"));

    public static string Daemon => Require("gpdaemon");

    public static string FakePortal => Require("fake-globalprotect");

    public static string ExampleConfig => Path.Combine(Root, "packaging", "gpdaemon.toml");

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
