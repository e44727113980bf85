using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// A container that boots with gpdaemon.service enabled and autoconnect = true, the password coming only from a
/// systemd credential (LoadCredential= in a drop-in, the documented way), and a short watchdog for the hang test.
/// Nobody types a command: the daemon connects to the fake portal on its own.
/// </summary>
public sealed class BootContainerFixture : ContainerFixture
{
    private protected override Task<FakePortal> StartPortalAsync() => ContainerPortal.StartAsync();

    private protected override Task PrepareAsync() => EnableAutoconnectAsync("""
        # Short, so that the hang test does not wait 30 s; still several pings per interval.
        WatchdogSec=5s
        RestartSec=1s
        """);
}
