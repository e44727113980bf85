using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Package;

/// <summary>
/// The package's whole life under a real systemd, as an administrator lives it: `dpkg -i` into a container (its /usr an
/// overlay over the host's, its dpkg database a copy of the host's, so the host's own stays untouched), the service
/// started by the package, a real tunnel to the fake portal through the installed gpctl, an upgrade to a rebuilt
/// package, then remove and purge.
/// </summary>
public sealed class PackageLifecycleTests(DebianPackageFixture package) : IClassFixture<DebianPackageFixture>
{
    private const string Unit = "gpdaemon.service";
    private const string Debs = "/run/gpdaemon-debs";
    private const string Config = "/etc/gpdaemon/gpdaemon.toml";
    private const string State = "/var/lib/gpdaemon";

    [Fact]
    public async Task InstallConnectUpgradeRemovePurge_KeepsTheTunnelAcrossTheUpgrade_AndTheConfigUntilPurge()
    {
        await using FakePortal fake = await ContainerPortal.StartAsync();
        string interfaceName = UniqueName.Next("gpdp");
        await using SystemdContainer container = await SystemdContainer.BootAsync(
            [new(package.Directory, Debs), new("/var/lib/dpkg", "/run/host-dpkg")], writableUsr: true);

        // The container's /var is empty: give its dpkg a copy of the host's database, so that dependencies resolve.
        await MustAsync(container, "cp", "-a", "/run/host-dpkg/.", "/var/lib/dpkg/");
        // The host's ownership overrides name the host's groups, which the container's fresh /etc does not have.
        await MustAsync(container, "truncate", "--size=0", "/var/lib/dpkg/statoverride");
        // Container images ship a policy-rc.d that forbids maintainer scripts to start services; a Debian system has
        // none. Removed from the container's overlay only.
        await MustAsync(container, "rm", "-f", "/usr/sbin/policy-rc.d");
        // The container shares the host's network namespace, whose links systemd-networkd does not manage: its
        // wait-online would hold network-online.target for two minutes (the unit no longer waits for it; other units may).
        await MustAsync(container, "systemctl", "mask", "--now", "systemd-networkd-wait-online.service");
        await MustAsync(container, "dpkg-query", "--show", "openconnect");

        // Install: the group, /run/vpnc, the unit enabled and started, as Debian does with services.
        ProcessResult install = await container.ExecAsync("dpkg", "--install", $"{Debs}/{package.FileName(package.Version)}");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal("enabled", (await container.SystemctlAsync("is-enabled", Unit)).Stdout.Trim());
        Assert.True((await container.SystemctlAsync("is-active", Unit)).Stdout.Trim() == "active", install + await container.DescribeAsync(Unit));
        await MustAsync(container, "getent", "group", "gpdaemon");
        await MustAsync(container, "test", "-d", "/run/vpnc");
        await MustAsync(container, "test", "-f", "/usr/share/man/man1/gpctl.1.gz");
        await MustAsync(container, "test", "-f", "/usr/share/bash-completion/completions/gpctl");
        ProcessResult disconnected = await container.ExecAsync("gpctl", "status");
        Assert.True(disconnected.ExitCode == 1 && disconnected.Stdout.Contains("Disconnected", StringComparison.Ordinal), disconnected.ToString());

        // The administrator's settings, then a real tunnel through the installed gpctl.
        string settings = $"""
            servercert = "{fake.Pin}"

            [openconnect]
            interface = "{interfaceName}"
            """;
        await MustAsync(container, ["sh", "-c", $"cat > {Config}"], settings);
        await MustAsync(container, "systemctl", "restart", Unit);
        ProcessResult connect = await container.ExecAsync(["gpctl", "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin"], fake.Password + "\n");
        Assert.True(connect.ExitCode == 0, connect + await container.DescribeAsync(Unit));
        string mainPid = await container.ShowAsync(Unit, "MainPID");
        int openconnect = Assert.Single(await container.ProcessesAsync("openconnect"));
        string sessions = (await MustAsync(container, "ls", "-A", State)).Stdout;
        Assert.NotEmpty(sessions.Trim());

        // Upgrade: the changed config stays, and the running daemon keeps its tunnel (the new binaries take over at
        // the next restart).
        ProcessResult upgrade = await container.ExecAsync("dpkg", "--install", $"{Debs}/{package.FileName(package.RebuiltVersion)}");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(package.RebuiltVersion, (await MustAsync(container, "dpkg-query", "--show", "--showformat=${Version}", "gpdaemon")).Stdout);
        Assert.Equal(settings, (await MustAsync(container, "cat", Config)).Stdout);
        Assert.Equal(mainPid, await container.ShowAsync(Unit, "MainPID"));
        Assert.Equal([openconnect], await container.ProcessesAsync("openconnect"));
        ProcessResult connected = await container.ExecAsync("gpctl", "status");
        Assert.True(connected.ExitCode == 0 && connected.Stdout.Contains(fake.TunnelAddress, StringComparison.Ordinal), connected.ToString());

        // A restart runs the new binaries; the user connects again with the saved session.
        await MustAsync(container, "systemctl", "restart", Unit);
        Assert.Empty(await container.ProcessesAsync("openconnect"));
        ProcessResult reconnect = await container.ExecAsync(["gpctl", "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin"], fake.Password + "\n");
        Assert.True(reconnect.ExitCode == 0, reconnect + await container.DescribeAsync(Unit));

        // Remove: the service stops (openconnect logs out), the programs go, the config and saved sessions stay.
        ProcessResult remove = await container.ExecAsync("dpkg", "--remove", "gpdaemon");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Empty(await container.ProcessesAsync("openconnect"));
        Assert.Empty(await container.ProcessesAsync("gpdaemon"));
        Assert.NotEqual(0, (await container.ExecAsync("test", "-e", "/usr/lib/gpdaemon/gpdaemon")).ExitCode);
        Assert.NotEqual(0, (await container.ExecAsync("test", "-e", "/usr/bin/gpctl")).ExitCode);
        Assert.Equal(settings, (await MustAsync(container, "cat", Config)).Stdout);
        Assert.Equal(sessions, (await MustAsync(container, "ls", "-A", State)).Stdout);
        Assert.Equal("config-files", (await MustAsync(container, "dpkg-query", "--show", "--showformat=${db:Status-Status}", "gpdaemon")).Stdout);

        // Purge: the config, its directory and the saved sessions go too.
        ProcessResult purge = await container.ExecAsync("dpkg", "--purge", "gpdaemon");
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.NotEqual(0, (await container.ExecAsync("test", "-e", "/etc/gpdaemon")).ExitCode);
        Assert.NotEqual(0, (await container.ExecAsync("test", "-e", State)).ExitCode);
        Assert.NotEqual(0, (await container.ExecAsync("dpkg-query", "--show", "gpdaemon")).ExitCode);

        // None of it reached the host.
        Assert.NotEqual(0, (await Run.ProgramAsync("dpkg-query", ["--show", "gpdaemon"])).ExitCode);
        Assert.False(File.Exists("/usr/lib/gpdaemon/gpdaemon"));
    }

    private static Task<ProcessResult> MustAsync(SystemdContainer container, params string[] argv) => MustAsync(container, argv, null);

    private static async Task<ProcessResult> MustAsync(SystemdContainer container, string[] argv, string? stdin)
    {
        ProcessResult result = await container.ExecAsync(argv, stdin);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', argv)}: {result}");
        return result;
    }
}
