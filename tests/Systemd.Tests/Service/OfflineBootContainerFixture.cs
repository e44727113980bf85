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
    private const string GatewaySide = "192.168.231.1";
    private const string ContainerSide = "192.168.231.2";
    private const string PortalAddress = "10.231.1.1";

    private readonly string _gatewayNamespace = UniqueName.Next("gpdgw");
    private readonly string _containerNamespace = UniqueName.Next("gpdbn");
    private readonly TempDirectory _scratch = new("gpd-offline");
    private bool _gatewayMade;
    private bool _containerMade;

    private protected override string? NetworkNamespace => "/run/netns/" + _containerNamespace;

    /// <summary>Gives the container's namespace its default route, through the veth pair to the portal's namespace.</summary>
    internal Task AddDefaultRouteAsync() => IpAsync("-n", _containerNamespace, "route", "add", "default", "via", GatewaySide);

    private protected override async Task<FakePortal> StartPortalAsync()
    {
        await IpAsync("netns", "add", _gatewayNamespace);
        _gatewayMade = true;
        await IpAsync("netns", "add", _containerNamespace);
        _containerMade = true;
        await IpAsync("-n", _gatewayNamespace, "link", "set", "lo", "up");
        await IpAsync("-n", _containerNamespace, "link", "set", "lo", "up");
        await IpAsync("-n", _gatewayNamespace, "link", "add", "gw0", "type", "veth", "peer", "name", "host0", "netns", _containerNamespace);
        await IpAsync("-n", _gatewayNamespace, "address", "add", GatewaySide + "/24", "dev", "gw0");
        await IpAsync("-n", _gatewayNamespace, "address", "add", PortalAddress + "/32", "dev", "lo");
        await IpAsync("-n", _gatewayNamespace, "link", "set", "gw0", "up");
        await IpAsync("-n", _containerNamespace, "address", "add", ContainerSide + "/24", "dev", "host0");
        await IpAsync("-n", _containerNamespace, "link", "set", "host0", "up");

        // The fake, started in the portal's namespace: nsenter joins it and execs the fake, which keeps the pid.
        string launcher = _scratch.Combine("fake-in-namespace");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec nsenter --net=/run/netns/{_gatewayNamespace} {Binaries.FakePortal} \"$@\"\n");
        File.SetUnixFileMode(launcher, (UnixFileMode)0x1ed /* 0755 */);
        return await FakePortal.StartAsync(launcher, "password",
            ["--listen", PortalAddress + ":0", "--user", FakePortal.User, "--password", UniqueName.Next("pw-"), "--ip", UniqueName.TunnelAddress()],
            CancellationToken.None);
    }

    private protected override async Task PrepareAsync()
    {
        Install.WriteConfig($"""
            portal = "{Fake.Address}"
            user = "{FakePortal.User}"
            autoconnect = true
            servercert = "{Fake.Pin}"

            [openconnect]
            interface = "{Interface}"
            """);
        Install.WriteSecret("password", Fake.Password + "\n");
        Install.WriteDropIn("test", """
            [Service]
            LoadCredential=password:/etc/gpdaemon/password
            """);
        await Install.EnableAsync();
    }

    private protected override async Task DisposedAsync()
    {
        // Deleting a namespace deletes the veth pair with it.
        if (_containerMade)
        {
            await Run.ProgramAsync("ip", ["netns", "del", _containerNamespace]);
        }
        if (_gatewayMade)
        {
            await Run.ProgramAsync("ip", ["netns", "del", _gatewayNamespace]);
        }
        _scratch.Dispose();
    }

    private static async Task IpAsync(params string[] args)
    {
        ProcessResult result = await Run.ProgramAsync("ip", args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {result}");
        }
    }
}
