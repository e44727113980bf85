using GpDaemon.TestSupport;

namespace Systemd.Tests.Package;

/// <summary>
/// `make deb` run once for a test class, twice: the package at packaging/debian/changelog's version, and a rebuild
/// with a higher version (DEB_VERSION) to upgrade to. Both from the binaries already in out/ (NO_BUILD=1).
/// </summary>
public sealed class DebianPackageFixture : IAsyncLifetime
{
    public const string RebuildSuffix = "+rebuild1";

    private readonly TempDirectory _directory = new("gpd-deb");

    /// <summary>The directory holding both .deb files (bound into the containers).</summary>
    public string Directory => _directory.Path;

    public string Version { get; private set; } = "";

    public string RebuiltVersion => Version + RebuildSuffix;

    public string Architecture { get; private set; } = "";

    /// <summary>gpdaemon_VERSION_ARCH.deb</summary>
    public string FileName(string version) => $"gpdaemon_{version}_{Architecture}.deb";

    public string PathOf(string version) => _directory.Combine(FileName(version));

    public async Task InitializeAsync()
    {
        Version = (await RunAsync("dpkg-parsechangelog", "-l", Path.Combine(Binaries.RepositoryRoot, "packaging", "debian", "changelog"), "-S", "Version")).Trim();
        Architecture = (await RunAsync("dpkg", "--print-architecture")).Trim();
        await MakeDebAsync("first");
        await MakeDebAsync("rebuild", "DEB_VERSION=" + RebuiltVersion);
    }

    private async Task MakeDebAsync(string name, params string[] variables)
    {
        // Each build in its own build tree, so that the second cannot reuse anything of the first.
        ProcessResult make = await Run.ProgramAsync("make", ["-C", Binaries.RepositoryRoot, "--no-print-directory", "deb", "NO_BUILD=1",
            "OUT=" + Binaries.OutDirectory, "DEBDIR=" + Directory, "DEB_BUILD=" + _directory.Combine("build-" + name), .. variables],
            timeout: TimeSpan.FromMinutes(5));
        if (make.ExitCode != 0)
        {
            throw new InvalidOperationException("make deb failed: " + make);
        }
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        ProcessResult result = await Run.ProgramAsync(program, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {result}");
        }
        return result.Stdout;
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
