using GpControl;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.HostileServers;

/// <summary>A gateway that cuts the tunnel every few seconds after a valid login (the drop-tunnel scenario).</summary>
public sealed class DropTunnelTests(ITestOutputHelper output)
{
    private const int Drops = 3;

    [Fact]
    public async Task AGatewayThatKeepsDroppingTheTunnel_StaysConnectedOrReconnecting_WithOneOpenconnect_AndRecovers()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions { Scenario = "drop-tunnel", DirectoryPrefix = "gpd-drop" });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        ProcessResult connect = await vpn.ConnectAsync();
        Assert.True(connect.ExitCode == 0, $"{connect}\n{daemon.Output}");

        // Every state the daemon reports from now on, and how many openconnect processes exist, sampled throughout.
        var states = new List<VpnStatus>();
        using var stop = new CancellationTokenSource();
        Task watching = Task.Run(async () =>
        {
            await using VpnClient watcher = await daemon.ClientAsync();
            await foreach (VpnStatus status in watcher.WatchAsync(stop.Token))
            {
                lock (states)
                {
                    states.Add(status);
                }
            }
        });
        int maxTunnels = 0;
        Task sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxTunnels = Math.Max(maxTunnels, OpenConnectProcesses.Of(daemon.RuntimeDirectory).Length);
                await Task.Delay(10);
            }
        });

        // Several drops, each followed by a new tunnel (the bound only detects a tunnel that never comes back).
        DateTime giveUp = DateTime.UtcNow.AddSeconds(60);
        while (DroppedCount(fake) < Drops || fake.Count("tunnel-connect") <= Drops)
        {
            Assert.True(DateTime.UtcNow < giveUp, $"{DroppedCount(fake)} drops, {fake.Count("tunnel-connect")} tunnels:\n{daemon.Output}");
            await Task.Delay(100);
        }
        VpnStatus recovered = await daemon.WaitForStatusAsync(s => s.State == "Connected");
        Assert.NotNull(recovered.OpenconnectPid);

        await stop.CancelAsync();
        await sampling;
        try
        {
            await watching;
        }
        catch (OperationCanceledException)
        {
        }
        VpnStatus[] seen;
        lock (states)
        {
            seen = [.. states];
        }
        output.WriteLine($"{DroppedCount(fake)} drops; states seen: {string.Join(" ", seen.Select(s => s.State))}");
        Assert.All(seen, s => Assert.True(s.State is "Connected" or "Reconnecting", $"state {s.State}: {s.Message}"));
        Assert.Contains(seen, s => s.State == "Reconnecting");
        Assert.All(seen.Where(s => s.State == "Connected"), s => Assert.NotNull(s.OpenconnectPid));
        Assert.True(maxTunnels == 1, $"{maxTunnels} openconnect processes at once");

        // And it still ends cleanly.
        ProcessResult disconnect = await Run.GpctlAsync(daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);
        Assert.Empty(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
        await fake.WaitForEventAsync("logout");
    }

    private static int DroppedCount(FakePortal fake) =>
        fake.Events.Count(e => e.StartsWith("event tunnel-closed ", StringComparison.Ordinal) && e.Contains("reason=dropped", StringComparison.Ordinal));
}
