using GpDaemon.TestSupport;
namespace Systemd.Tests.Support;

/// <summary>
/// gpdaemon as `make install` lays it out, staged on the host (DESTDIR) and bound into a container: the published
/// tree under /opt/gpdaemon/lib/gpdaemon with /opt/gpdaemon/bin symlinks, the unit, sysusers.d and tmpfiles.d
/// entries under the container's /etc (its /usr is the host's and read-only), and /etc/gpdaemon.
/// </summary>
internal sealed class StagedInstall : IDisposable
{
    public const string Prefix = "/opt/gpdaemon";
    public const string Ctl = Prefix + "/bin/gpctl";
    public const string Daemon = Prefix + "/bin/gpdaemon";
    public const string Unit = "gpdaemon.service";

    private readonly TempDirectory _directory;

    private StagedInstall(TempDirectory directory)
    {
        _directory = directory;
    }

    /// <summary>The DESTDIR.</summary>
    public string Root => _directory.Path;

    public string ConfigDirectory => _directory.Combine("etc", "gpdaemon");

    public IReadOnlyList<SystemdContainer.Bind> Binds =>
    [
        new(_directory.Combine("opt", "gpdaemon"), Prefix),
        new(_directory.Combine("etc", "systemd", "system"), "/etc/systemd/system"),
        new(_directory.Combine("etc", "sysusers.d"), "/etc/sysusers.d"),
        new(_directory.Combine("etc", "tmpfiles.d"), "/etc/tmpfiles.d"),
        new(ConfigDirectory, "/etc/gpdaemon", ReadOnly: false),
    ];

    /// <summary>Runs `make install NO_BUILD=1` from the source tree with the already built binaries.</summary>
    public static async Task<StagedInstall> CreateAsync()
    {
        var directory = new TempDirectory("gpd-install");
        try
        {
            ProcessResult make = await Run.ProgramAsync("make", ["-C", Binaries.RepositoryRoot, "--no-print-directory", "install", "NO_BUILD=1",
                "OUT=" + Binaries.OutDirectory, "DESTDIR=" + directory.Path, "PREFIX=" + Prefix, "SYSCONFDIR=/etc",
                "SYSTEMDUNITDIR=/etc/systemd/system", "SYSUSERSDIR=/etc/sysusers.d", "TMPFILESDIR=/etc/tmpfiles.d"]);
            if (make.ExitCode != 0)
            {
                throw new InvalidOperationException("make install failed: " + make);
            }
            return new StagedInstall(directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <param name="name">gpdaemon (the default unit's), or an instance's NAME (gpdaemon@NAME.service).</param>
    public void WriteConfig(string toml, string name = "gpdaemon") => File.WriteAllText(Path.Combine(ConfigDirectory, name + ".toml"), toml);

    /// <summary>A root-only file in /etc/gpdaemon (a password for LoadCredential=).</summary>
    public void WriteSecret(string name, string content)
    {
        string path = Path.Combine(ConfigDirectory, name);
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, content);
    }

    /// <summary>/etc/systemd/system/UNIT.d/NAME.conf, as `systemctl edit` would write it.</summary>
    public void WriteDropIn(string name, string content, string unit = Unit)
    {
        string directory = _directory.Combine("etc", "systemd", "system", unit + ".d");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".conf"), content);
    }

    /// <summary>`systemctl enable gpdaemon` (or the units given) on the staged tree (offline, before the container boots).</summary>
    public async Task EnableAsync(params string[] units)
    {
        ProcessResult enable = await Run.ProgramAsync("systemctl", ["--root=" + Root, "enable", .. units.Length == 0 ? [Unit] : units]);
        if (enable.ExitCode != 0)
        {
            throw new InvalidOperationException("systemctl --root enable failed: " + enable);
        }
    }

    public void Dispose() => _directory.Dispose();
}
