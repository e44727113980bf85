using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// A container that boots with gpdaemon.service enabled and autoconnect = true to a portal that signs in only
/// through a browser (SAML): no password anywhere, so the service must wait for a user to complete the sign-in.
/// </summary>
public sealed class BootSignInContainerFixture : ContainerFixture
{
    private protected override Task<FakePortal> StartPortalAsync() => ContainerPortal.StartAsync(scenario: "saml");

    private protected override async Task PrepareAsync()
    {
        Install.WriteConfig($"""
            portal = "{Fake.Address}"
            autoconnect = true
            servercert = "{Fake.Pin}"

            [openconnect]
            interface = "{Interface}"
            """);
        await Install.EnableAsync();
    }
}
