using GpDaemon.TestSupport;

namespace Integration.Tests.SingleSignOn;

/// <summary>
/// The desktop entry as `make install` lays it out (staged with DESTDIR), registered the way a desktop looks it up
/// (xdg-mime with XDG_DATA_HOME pointing at the staged share/), and its command, read from the installed file.
/// </summary>
internal sealed class InstalledHandler : IDisposable
{
    private const string Prefix = "/usr/local";
    private readonly TempDirectory _root;

    private InstalledHandler(TempDirectory root, string desktopFile)
    {
        _root = root;
        DesktopFile = desktopFile;
    }

    public string DesktopFile { get; }

    public string DataHome => _root.Combine("usr", "local", "share");

    public static async Task<InstalledHandler> InstallAsync()
    {
        var root = new TempDirectory("gpd-desktop");
        ProcessResult make = await Run.ProgramAsync("make", ["-C", Binaries.RepositoryRoot, "--no-print-directory", "install", "NO_BUILD=1",
            "OUT=" + Binaries.OutDirectory, "DESTDIR=" + root.Path, "PREFIX=" + Prefix, "SYSCONFDIR=/etc"], timeout: TimeSpan.FromSeconds(120));
        if (make.ExitCode != 0)
        {
            root.Dispose();
            throw new InvalidOperationException("make install failed: " + make);
        }
        return new InstalledHandler(root, root.Combine("usr", "local", "share", "applications", "gpdaemon-callback.desktop"));
    }

    /// <summary>The Exec line's program and arguments, %u replaced by the link; the program found in the staged tree.</summary>
    public IReadOnlyList<string> Command(string link)
    {
        string exec = File.ReadAllLines(DesktopFile).Single(l => l.StartsWith("Exec=", StringComparison.Ordinal))["Exec=".Length..];
        string[] parts = exec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string program = _root.Path + parts[0];
        // bin/gpctl is a symlink to the installed LIBDIR, which is staged under DESTDIR too.
        if (new FileInfo(program).LinkTarget is { } target)
        {
            program = _root.Path + target;
        }
        return [program, .. parts[1..].Select(p => p == "%u" ? link : p)];
    }

    /// <summary>Runs the handler's command as <paramref name="user"/>, as the desktop would for a click on the link.</summary>
    public Task<ProcessResult> OpenAsync(string link, string user, string socket)
    {
        IReadOnlyList<string> command = Command(link);
        return Run.ProgramAsync("runuser", ["-u", user, "--", "env", $"GPDAEMON_SOCKET={socket}", .. command],
            environment: new Dictionary<string, string?> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });
    }

    public void Dispose() => _root.Dispose();
}
