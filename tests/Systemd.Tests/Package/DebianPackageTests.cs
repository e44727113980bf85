using System.Text.RegularExpressions;
using GpDaemon.TestSupport;

namespace Systemd.Tests.Package;

/// <summary>What `make deb` builds, looked at from outside: its fields, its files, its maintainer scripts, lintian.</summary>
public sealed partial class DebianPackageTests(DebianPackageFixture package) : IClassFixture<DebianPackageFixture>
{
    [Fact]
    public void ChangelogVersion_IsTheVersionTheBinariesAreBuiltWith()
    {
        string props = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "Directory.Build.props"));
        string version = VersionProperty().Match(props).Groups[1].Value;

        Assert.Equal(version, package.Version);
    }

    [Fact]
    public async Task Package_DependsOnOpenconnectAndTheVpncScript_AndLibsslWhichTheRuntimeLoadsItself()
    {
        string depends = await FieldAsync("Depends");

        Assert.Matches(@"(^|, )openconnect \(>= 9\.0\)(,|$)", depends);
        Assert.Matches(@"(^|, )vpnc-scripts(,|$)", depends);
        Assert.Matches(@"(^|, )libssl3 \| libssl3t64(,|$)", depends);
        Assert.Matches(@"(^|, )libc6 \(>= [0-9.]+\)(,|$)", depends);
        Assert.Equal("ca-certificates", await FieldAsync("Recommends"));
        Assert.Equal(package.Version, await FieldAsync("Version"));
    }

    [Fact]
    public async Task Package_HoldsTheBinariesUnitSysusersTmpfilesConfigManPagesAndCompletions()
    {
        ProcessResult contents = await Run.ProgramAsync("dpkg-deb", ["--contents", package.PathOf(package.Version)]);
        Assert.True(contents.ExitCode == 0, contents.ToString());
        string[] files = [.. contents.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5])];

        string[] expected =
        [
            "./usr/lib/gpdaemon/gpdaemon", "./usr/lib/gpdaemon/gpctl", "./usr/bin/gpdaemon", "./usr/bin/gpctl",
            "./lib/systemd/system/gpdaemon.service", "./lib/systemd/system/gpdaemon@.service", "./usr/lib/sysusers.d/gpdaemon.conf", "./usr/lib/tmpfiles.d/gpdaemon.conf",
            "./etc/gpdaemon/gpdaemon.toml",
            "./usr/share/man/man1/gpctl.1.gz", "./usr/share/man/man5/gpdaemon.toml.5.gz", "./usr/share/man/man8/gpdaemon.8.gz",
            "./usr/share/bash-completion/completions/gpctl", "./usr/share/zsh/vendor-completions/_gpctl",
            "./usr/share/fish/vendor_completions.d/gpctl.fish", "./usr/share/doc/gpdaemon/copyright",
        ];
        Assert.Empty(expected.Except(files));
        Assert.DoesNotContain(files, f => f.Contains("fake-globalprotect", StringComparison.Ordinal));
        Assert.Contains("./usr/bin/gpctl -> ../lib/gpdaemon/gpctl", contents.Stdout, StringComparison.Ordinal);

        ProcessResult conffiles = await Run.ProgramAsync("sh", ["-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xO ./conffiles", "sh", package.PathOf(package.Version)]);
        Assert.Equal("/etc/gpdaemon/gpdaemon.toml\n", conffiles.Stdout);
        string unit = await ExtractAsync("./lib/systemd/system/gpdaemon.service");
        Assert.Contains("\nExecStart=/usr/lib/gpdaemon/gpdaemon --config /etc/gpdaemon/gpdaemon.toml\n", unit, StringComparison.Ordinal);
        string template = await ExtractAsync("./lib/systemd/system/gpdaemon@.service");
        Assert.Contains("\nExecStart=/usr/lib/gpdaemon/gpdaemon --instance %i --config /etc/gpdaemon/%i.toml\n", template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaintainerScripts_CreateTheGroupFirst_StartOnInstall_AndNeverStopTheTunnelOnUpgrade()
    {
        string postinst = await ControlFileAsync("postinst");
        int sysusers = postinst.IndexOf("systemd-sysusers", StringComparison.Ordinal);
        int tmpfiles = postinst.IndexOf("systemd-tmpfiles", StringComparison.Ordinal);
        Assert.True(sysusers >= 0 && tmpfiles > sysusers, postinst);
        Assert.Contains("deb-systemd-helper enable 'gpdaemon.service'", postinst, StringComparison.Ordinal);
        Assert.Contains("systemctl --system daemon-reload", postinst, StringComparison.Ordinal);
        Assert.DoesNotContain("restart", postinst, StringComparison.Ordinal);

        // The service is stopped only when the package goes away, not before an upgrade.
        string prerm = await ControlFileAsync("prerm");
        Assert.Contains("[ \"$1\" = remove ]", prerm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lintian_ReportsNoErrorsOrWarnings()
    {
        ProcessResult lintian = await Run.ProgramAsync("lintian", ["--fail-on", "error,warning", package.PathOf(package.Version)],
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(lintian.ExitCode == 0, lintian.ToString());
        Assert.DoesNotMatch(@"(?m)^[EW]: ", lintian.Stdout);
    }

    private async Task<string> FieldAsync(string name)
    {
        ProcessResult field = await Run.ProgramAsync("dpkg-deb", ["--field", package.PathOf(package.Version), name]);
        Assert.True(field.ExitCode == 0, field.ToString());
        // Long fields continue on lines that start with a space.
        return string.Join(' ', field.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()));
    }

    private async Task<string> ControlFileAsync(string name)
    {
        ProcessResult result = await Run.ProgramAsync("sh", ["-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xO \"./$2\"", "sh", package.PathOf(package.Version), name]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    private async Task<string> ExtractAsync(string path)
    {
        ProcessResult result = await Run.ProgramAsync("sh", ["-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xO \"$2\"", "sh", package.PathOf(package.Version), path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionProperty();
}
