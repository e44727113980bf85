using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// A container that boots with gpdaemon.service enabled and autoconnect = true, the password coming only from a
/// systemd credential (LoadCredential= in a drop-in, the documented way), and a short watchdog for the hang test.
/// Nobody types a command: the daemon connects to the fake portal on its own.
/// </summary>
public sealed class BootContainerFixture : IAsyncLifetime
{
    private FakePortal? _fake;
    private StagedInstall? _install;
    private SystemdContainer? _container;

    internal FakePortal Fake => _fake ?? throw new InvalidOperationException("not initialized");

    internal SystemdContainer Container => _container ?? throw new InvalidOperationException("not initialized");

    internal string Interface { get; } = UniqueName.Next("gpdt");

    public async Task InitializeAsync()
    {
        _fake = await ContainerPortal.StartAsync();
        _install = await StagedInstall.CreateAsync();
        _install.WriteConfig($"""
            portal = "{_fake.Address}"
            user = "{FakePortal.User}"
            autoconnect = true
            servercert = "{_fake.Pin}"

            [openconnect]
            interface = "{Interface}"
            """);
        _install.WriteSecret("password", _fake.Password + "\n");
        _install.WriteDropIn("test", """
            [Service]
            LoadCredential=password:/etc/gpdaemon/password
            # Short, so that the hang test does not wait 30 s; still several pings per interval.
            WatchdogSec=5s
            RestartSec=1s
            """);
        await _install.EnableAsync();
        _container = await SystemdContainer.BootAsync(_install.Binds);
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
        _install?.Dispose();
    }
}
