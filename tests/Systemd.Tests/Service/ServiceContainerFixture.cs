using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// One container for a whole test class: gpdaemon installed by `make install` but not enabled, a config that trusts
/// the fake portal running on the host and names a unique tun device, and a real /dev/net/tun, so that the unit's
/// hardening is exercised by openconnect and the vpnc-script for real.
/// </summary>
public sealed class ServiceContainerFixture : ContainerFixture
{
    // Every reply, the logout's included, takes half a second: long enough that a second SIGTERM reaching
    // openconnect during the logout (what KillMode=control-group would do) interrupts it. The gateway asks for a
    // host-information report, so that the report's script runs under the unit's hardening.
    private protected override Task<FakePortal> StartPortalAsync() => ContainerPortal.StartAsync(delayMs: 500, hipRequired: true);

    private protected override Task PrepareAsync()
    {
        UseTunDevice();
        return Task.CompletedTask;
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
}
