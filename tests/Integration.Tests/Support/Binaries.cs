namespace Integration.Tests.Support;

/// <summary>The built programs under test: out/gpdaemon, out/gpctl, out/fake-globalprotect (make build).</summary>
internal static class Binaries
{
    public static string OutDirectory { get; } = FindOut();

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

    private static string FindOut()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("GPDAEMON_OUT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GpDaemon.sln")))
            {
                return Path.Combine(dir.FullName, "out");
            }
        }
        throw new DirectoryNotFoundException("cannot find the repository root (GpDaemon.sln) above " + AppContext.BaseDirectory);
    }
}
