using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// One container for a whole test class: gpdaemon installed by `make install` but not enabled, a config that trusts
/// the fake portal running on the host and names a unique tun device, and a real /dev/net/tun, so that the unit's
/// hardening is exercised by openconnect and the vpnc-script for real.
/// </summary>
public sealed class ServiceContainerFixture : IAsyncLifetime
{
    private FakePortal? _fake;
    private StagedInstall? _install;
    private SystemdContainer? _container;

    internal FakePortal Fake => _fake ?? throw new InvalidOperationException("not initialized");

    internal SystemdContainer Container => _container ?? throw new InvalidOperationException("not initialized");

    /// <summary>The tun device name the daemon is configured with (the device appears in the host's namespace too).</summary>
    internal string Interface { get; } = UniqueName.Next("gpdt");

    public async Task InitializeAsync()
    {
        // Every reply, the logout's included, takes half a second: long enough that a second SIGTERM reaching
        // openconnect during the logout (what KillMode=control-group would do) interrupts it.
        _fake = await ContainerPortal.StartAsync(delayMs: 500);
        _install = await StagedInstall.CreateAsync();
        UseTunDevice();
        _container = await SystemdContainer.BootAsync(_install.Binds);
    }

    /// <summary>The config for a real tun device (the default for each test); takes effect at the next start.</summary>
    internal void UseTunDevice() => Install.WriteConfig($"""
        servercert = "{Fake.Pin}"

        [openconnect]
        interface = "{Interface}"
        """);

    /// <summary>The config for openconnect --script-tun: no device, the packets go to the wrapper's drain.</summary>
    internal void UseScriptTun() => Install.WriteConfig($"""
        servercert = "{Fake.Pin}"

        [openconnect]
        script_tun = true
        """);

    private StagedInstall Install => _install ?? throw new InvalidOperationException("not initialized");

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
