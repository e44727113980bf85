using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// A container booted in a network namespace of its own that has no default route: the enabled service with
/// autoconnect = true starts with nowhere to connect to. The fake portal runs in a second namespace, joined to the
/// container's by a veth pair, and listens on an address outside the link's subnet, so that only a default route
/// reaches it; a test adds that route with <see cref="AddDefaultRouteAsync"/>.
/// </summary>
public sealed class OfflineBootContainerFixture : ContainerFixture
{
    private const string GatewayAddress = "192.168.231.1";
    private const string ContainerAddress = "192.168.231.2";
    private const string PortalAddress = "10.231.1.1";

    private NetworkNamespace? _gatewaySide;
    private NetworkNamespace? _containerSide;

    private protected override string? NetworkNamespacePath => "/run/netns/" + ContainerSide.Name;

    private NetworkNamespace ContainerSide => _containerSide ?? throw new InvalidOperationException("not initialized");

    /// <summary>Gives the container's namespace its default route, through the veth pair to the portal's namespace.</summary>
    internal async Task AddDefaultRouteAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ContainerSide.IpAsync(cts.Token, "route", "add", "default", "via", GatewayAddress);
    }

    private protected override async Task<FakePortal> StartPortalAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _gatewaySide = await NetworkNamespace.CreateAsync(cts.Token);
        _containerSide = await NetworkNamespace.CreateAsync(cts.Token);
        await _gatewaySide.IpAsync(cts.Token, "link", "add", "gw0", "type", "veth", "peer", "name", "host0", "netns", _containerSide.Name);
        await _gatewaySide.IpAsync(cts.Token, "address", "add", GatewayAddress + "/24", "dev", "gw0");
        await _gatewaySide.IpAsync(cts.Token, "address", "add", PortalAddress + "/32", "dev", "lo");
        await _gatewaySide.IpAsync(cts.Token, "link", "set", "gw0", "up");
        await _containerSide.IpAsync(cts.Token, "address", "add", ContainerAddress + "/24", "dev", "host0");
        await _containerSide.IpAsync(cts.Token, "link", "set", "host0", "up");
        return await FakePortal.StartAsync(Binaries.FakePortal, "password",
            ["--user", FakePortal.User, "--password", UniqueName.Next("pw-"), "--ip", UniqueName.TunnelAddress()], cts.Token,
            listen: PortalAddress + ":0", launcher: ["ip", "netns", "exec", _gatewaySide.Name]);
    }

    private protected override Task PrepareAsync() => EnableAutoconnectAsync();

    private protected override Task DisposedAsync()
    {
        // Deleting a namespace deletes the veth pair with it.
        _containerSide?.Dispose();
        _gatewaySide?.Dispose();
        return Task.CompletedTask;
    }
}
