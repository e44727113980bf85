using GpDaemon.TestSupport;
using System.Text.RegularExpressions;
using Systemd.Tests.Support;

namespace Systemd.Tests.Install;

/// <summary>`make install` and `make uninstall` into a DESTDIR, with the binaries already built (NO_BUILD=1).</summary>
public sealed partial class MakeInstallTests
{
    private static readonly string Packaging = Path.Combine(Binaries.RepositoryRoot, "packaging");

    [Fact]
    public async Task MakeInstall_WithTheDefaults_InstallsBinariesUnitSysusersTmpfilesAndTheExampleConfig()
    {
        using var destdir = new TempDirectory("gpd-destdir");

        ProcessResult install = await MakeAsync("install", destdir.Path);

        Assert.True(install.ExitCode == 0, install.ToString());
        string lib = destdir.Combine("usr", "local", "lib", "gpdaemon");
        foreach (string program in new[] { "gpdaemon", "gpctl" })
        {
            string path = Path.Combine(lib, program);
            Assert.True(File.Exists(path), path);
            Assert.True((File.GetUnixFileMode(path) & UnixFileMode.OtherExecute) != 0, path + " is not executable");
            var link = new FileInfo(destdir.Combine("usr", "local", "bin", program));
            Assert.Equal($"/usr/local/lib/gpdaemon/{program}", link.LinkTarget);
        }
        Assert.Empty(Directory.EnumerateFiles(lib, "fake-globalprotect*"));

        string unit = File.ReadAllText(destdir.Combine("usr", "local", "lib", "systemd", "system", "gpdaemon.service"));
        Assert.Contains("\nExecStart=/usr/local/lib/gpdaemon/gpdaemon --config /etc/gpdaemon/gpdaemon.toml\n", unit, StringComparison.Ordinal);
        Assert.DoesNotMatch(Placeholder(), unit);
        Assert.Equal(File.ReadAllText(Path.Combine(Packaging, "systemd", "gpdaemon.sysusers")),
            File.ReadAllText(destdir.Combine("usr", "local", "lib", "sysusers.d", "gpdaemon.conf")));
        Assert.Equal(File.ReadAllText(Path.Combine(Packaging, "systemd", "gpdaemon.tmpfiles")),
            File.ReadAllText(destdir.Combine("usr", "local", "lib", "tmpfiles.d", "gpdaemon.conf")));
        Assert.Equal(File.ReadAllText(Path.Combine(Packaging, "gpdaemon.toml")), File.ReadAllText(destdir.Combine("etc", "gpdaemon", "gpdaemon.toml")));
        string entry = File.ReadAllText(destdir.Combine("usr", "local", "share", "applications", "gpdaemon-callback.desktop"));
        Assert.Contains("\nExec=/usr/local/bin/gpctl callback %u\n", entry, StringComparison.Ordinal);
        Assert.Contains("\nMimeType=x-scheme-handler/globalprotectcallback;\n", entry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MakeInstall_HonoursPrefixAndTheSystemdDirectories()
    {
        using var destdir = new TempDirectory("gpd-destdir");

        ProcessResult install = await MakeAsync("install", destdir.Path, "PREFIX=/opt/gp", "SYSCONFDIR=/opt/gp/etc",
            "SYSTEMDUNITDIR=/etc/systemd/system", "SYSUSERSDIR=/etc/sysusers.d", "TMPFILESDIR=/etc/tmpfiles.d");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(File.Exists(destdir.Combine("opt", "gp", "lib", "gpdaemon", "gpdaemon")));
        Assert.Equal("/opt/gp/lib/gpdaemon/gpctl", new FileInfo(destdir.Combine("opt", "gp", "bin", "gpctl")).LinkTarget);
        string unit = File.ReadAllText(destdir.Combine("etc", "systemd", "system", "gpdaemon.service"));
        Assert.Contains("\nExecStart=/opt/gp/lib/gpdaemon/gpdaemon --config /opt/gp/etc/gpdaemon/gpdaemon.toml\n", unit, StringComparison.Ordinal);
        Assert.Contains("#LoadCredential=password:/opt/gp/etc/gpdaemon/password\n", unit, StringComparison.Ordinal);
        Assert.True(File.Exists(destdir.Combine("etc", "sysusers.d", "gpdaemon.conf")));
        Assert.True(File.Exists(destdir.Combine("etc", "tmpfiles.d", "gpdaemon.conf")));
        Assert.True(File.Exists(destdir.Combine("opt", "gp", "etc", "gpdaemon", "gpdaemon.toml")));
    }

    [Fact]
    public async Task MakeInstall_NeverOverwritesAnExistingConfig()
    {
        using var destdir = new TempDirectory("gpd-destdir");
        string config = destdir.Combine("etc", "gpdaemon", "gpdaemon.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        const string Mine = "portal = \"vpn.mine.example\"\n";
        File.WriteAllText(config, Mine);

        ProcessResult install = await MakeAsync("install", destdir.Path);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(Mine, File.ReadAllText(config));
    }

    [Fact]
    public async Task MakeUninstall_RemovesWhatInstallAdded_ButKeepsTheConfig()
    {
        using var destdir = new TempDirectory("gpd-destdir");
        Assert.Equal(0, (await MakeAsync("install", destdir.Path)).ExitCode);

        ProcessResult uninstall = await MakeAsync("uninstall", destdir.Path);

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        string[] left = [.. Directory.EnumerateFiles(destdir.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(destdir.Path, f))];
        Assert.Equal(["etc/gpdaemon/gpdaemon.toml"], left);
        Assert.Empty(Directory.EnumerateFileSystemEntries(destdir.Combine("usr", "local", "bin")));
    }

    [Fact]
    public async Task MakeInstall_WithoutBuiltBinaries_FailsAndSaysToBuild()
    {
        using var destdir = new TempDirectory("gpd-destdir");
        using var emptyOut = new TempDirectory("gpd-emptyout");

        ProcessResult install = await MakeWithOutAsync("install", destdir.Path, emptyOut.Path);

        Assert.NotEqual(0, install.ExitCode);
        Assert.Contains("make build", install.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(destdir.Path));
    }

    private static Task<ProcessResult> MakeAsync(string target, string destdir, params string[] variables) =>
        MakeWithOutAsync(target, destdir, Binaries.OutDirectory, variables);

    private static Task<ProcessResult> MakeWithOutAsync(string target, string destdir, string outDirectory, params string[] variables) =>
        Run.ProgramAsync("make", ["-C", Binaries.RepositoryRoot, "--no-print-directory", target, "NO_BUILD=1", "OUT=" + outDirectory,
            "DESTDIR=" + destdir, .. variables]);

    [GeneratedRegex("@[A-Z]+@")]
    private static partial Regex Placeholder();
}
