namespace GpDaemon.TestSupport;

/// <summary>The built programs under test: out/gpdaemon, out/gpctl, out/fake-globalprotect (make build).</summary>
public static class Binaries
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>$GPDAEMON_OUT, else $OUT (the Makefile's, relative to the repository root), else &lt;repo&gt;/out.</summary>
    public static string OutDirectory { get; } = FindOut();

    public static string Daemon => Require("gpdaemon");

    public static string Ctl => Require("gpctl");

    public static string FakePortal => Require("fake-globalprotect");

    /// <summary>Whether <paramref name="name"/> was built (for tests that are skipped, with the reason, without it).</summary>
    public static bool IsBuilt(string name) => File.Exists(Path.Combine(OutDirectory, name));

    private static string Require(string name)
    {
        string path = Path.Combine(OutDirectory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run 'make build' first (or set GPDAEMON_OUT or OUT)");
        }
        return path;
    }

    private static string FindOut()
    {
        if (Environment.GetEnvironmentVariable("GPDAEMON_OUT") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }
        if (Environment.GetEnvironmentVariable("OUT") is { Length: > 0 } fromMake)
        {
            return Path.GetFullPath(fromMake, RepositoryRoot);
        }
        return Path.Combine(RepositoryRoot, "out");
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
