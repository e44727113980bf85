using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// The saved session outlives a reboot: the state directory (/var/lib/gpdaemon) is kept on the host across two boots
/// of the container, as a disk keeps it across two boots of a machine; the rest of the container is volatile.
/// </summary>
public sealed class RebootTests
{
    private const string Unit = StagedInstall.Unit;

    [Fact]
    public async Task AfterAReboot_ConnectWithNoPassword_SignsInWithTheSavedPortalCookie()
    {
        await using FakePortal fake = await ContainerPortal.StartAsync(scenario: "portal-cookie");
        using StagedInstall install = await StagedInstall.CreateAsync();
        using var state = new TempDirectory("gpd-state");
        string iface = UniqueName.Next("gpdt");
        install.WriteConfig($"""
            portal = "{fake.Address}"
            user = "{FakePortal.User}"
            servercert = "{fake.Pin}"

            [openconnect]
            interface = "{iface}"
            """);
        await install.EnableAsync();
        SystemdContainer.Bind[] binds = [.. install.Binds, new(state.Path, "/var/lib/gpdaemon", ReadOnly: false)];

        await using (SystemdContainer first = await SystemdContainer.BootAsync(binds))
        {
            await WaitForActiveAsync(first);
            ProcessResult login = await first.ExecAsync([StagedInstall.Ctl, "connect", "--passwd-on-stdin"], stdin: fake.Password + "\n");
            Assert.True(login.ExitCode == 0, login + await first.DescribeAsync(Unit));
            Assert.Contains("auth=password password=yes", await fake.WaitForEventAsync("portal-config"));
        }
        // The container powered off (the service logged out on the way down); only the state directory is left.
        Assert.Contains("result=ok", await fake.WaitForEventAsync("logout"));
        Assert.NotEmpty(Directory.EnumerateFiles(state.Path, "*", SearchOption.AllDirectories));

        await using SystemdContainer second = await SystemdContainer.BootAsync(binds);
        await WaitForActiveAsync(second);
        // No password on stdin and no terminal: only the saved cookie can sign in.
        ProcessResult again = await second.ExecAsync(StagedInstall.Ctl, "connect");
        Assert.True(again.ExitCode == 0, again + await second.DescribeAsync(Unit));
        Assert.Contains($"Connected to {fake.Address}", again.Stdout);
        string relogin = await fake.WaitForEventAsync("portal-config", occurrence: 2);
        Assert.Contains("auth=portal-cookie password=no", relogin);
        Assert.Equal(0, fake.Count("login-failed"));
        Assert.Equal(0, (await second.ExecAsync(StagedInstall.Ctl, "disconnect")).ExitCode);
    }

    private static Task WaitForActiveAsync(SystemdContainer container) =>
        Poll.UntilAsync(() => container.ShowAsync(Unit, "ActiveState"), state => state == "active", "gpdaemon.service to be active");
}
