using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// A container that boots with the default gpdaemon.service and two named instances (gpdaemon@NAME.service from the
/// template unit) enabled. Each instance autoconnects at boot to its own fake portal, with its own password as a
/// systemd credential (one drop-in for the template: LoadCredential=password:/etc/gpdaemon/%i.password); the default
/// one has no config and waits, disconnected.
/// </summary>
public sealed class InstancesContainerFixture : ContainerFixture, IAsyncLifetime
{
    private FakePortal? _second;

    internal string First { get; } = UniqueName.Next("i");

    internal string Second { get; } = UniqueName.Next("j");

    internal FakePortal SecondFake => _second ?? throw new InvalidOperationException("not initialized");

    private protected override Task<FakePortal> StartPortalAsync() => ContainerPortal.StartAsync();

    private protected override async Task PrepareAsync()
    {
        _second = await ContainerPortal.StartAsync();
        foreach ((string name, FakePortal fake) in new[] { (First, Fake), (Second, SecondFake) })
        {
            Install.WriteConfig($"""
                portal = "{fake.Address}"
                user = "{FakePortal.User}"
                autoconnect = true
                servercert = "{fake.Pin}"
                """, name);
            Install.WriteSecret(name + ".password", fake.Password + "\n");
        }
        Install.WriteDropIn("test", """
            [Service]
            LoadCredential=password:/etc/gpdaemon/%i.password
            """, "gpdaemon@.service");
        await Install.EnableAsync(StagedInstall.Unit, $"gpdaemon@{First}.service", $"gpdaemon@{Second}.service");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
    }
}
