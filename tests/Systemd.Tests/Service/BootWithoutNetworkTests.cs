using System.Text.Json;
using GpControl;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// The enabled service with autoconnect at a boot without a network (the container's namespace has no default route):
/// it waits quietly, without openconnect or attempts against the portal, and connects once a route appears.
/// </summary>
public sealed class BootWithoutNetworkTests(OfflineBootContainerFixture fixture) : IClassFixture<OfflineBootContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    private const string WaitingForNetwork = "waiting for the network";

    private SystemdContainer Container => fixture.Container;

    private FakePortal Fake => fixture.Fake;

    [Fact]
    public async Task Autoconnect_WithNoRoute_WaitsForTheNetwork_ThenConnectsWhenARouteIsAdded()
    {
        VpnStatus waiting = (await Poll.UntilAsync(StatusAsync, s => s?.State == nameof(VpnState.Reconnecting) && s.Message == WaitingForNetwork,
            $"gpctl status to say Reconnecting, \"{WaitingForNetwork}\"", s => $"{s?.State} {s?.Message}", TimeSpan.FromSeconds(60)))!;
        Assert.Null(waiting.OpenconnectPid);

        // While the route is missing it stays so: no openconnect, nothing sent to the portal, the same message.
        for (int i = 0; i < 10; i++)
        {
            await Task.Delay(300);
            VpnStatus? still = await StatusAsync();
            Assert.True(still?.State == nameof(VpnState.Reconnecting) && still.Message == WaitingForNetwork, $"{still?.State} {still?.Message}");
            Assert.Empty(await Container.ProcessesAsync("openconnect"));
        }
        Assert.Equal(0, Fake.Count("prelogin"));
        Assert.Equal("active", (await Container.SystemctlAsync("is-active", Unit)).Stdout.Trim());

        await fixture.AddDefaultRouteAsync();

        VpnStatus connected = (await Poll.UntilAsync(StatusAsync, s => s?.State == nameof(VpnState.Connected),
            "the service to connect once the default route is there", s => $"{s?.State} {s?.Message}", TimeSpan.FromSeconds(60)))!;
        Assert.Equal([connected.OpenconnectPid ?? -1], await Container.ProcessesAsync("openconnect"));
        Assert.StartsWith($"Connected to {Fake.Address}", await Container.ShowAsync(Unit, "StatusText"), StringComparison.Ordinal);
        Assert.Contains("auth=password", await Fake.WaitForEventAsync("gateway-login"), StringComparison.Ordinal);
        await Fake.WaitForEventAsync("tunnel-connect");
        Assert.Equal(1, Fake.Count("tunnel-connect"));
    }

    /// <summary>`gpctl status --json` inside the container; null while the daemon does not answer yet.</summary>
    private async Task<VpnStatus?> StatusAsync()
    {
        ProcessResult json = await Container.ExecAsync(StagedInstall.Ctl, "status", "--json");
        return json.Stdout.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize(json.Stdout, ControlJsonContext.Default.VpnStatus) : null;
    }
}
