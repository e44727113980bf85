namespace Integration.Tests.Network;

/// <summary>The network state at the daemon's start, in a network namespace of the test's own.</summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class NetworkStartTests
{
    [Fact]
    public async Task NoRouteAtStart_IsToldToTheConnectionOnce()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromMinutes(2));
        await using IsolatedNetwork network = await IsolatedNetwork.StartAsync("", cts.Token, "log_level = \"debug\"", defaultRoute: false);
        // Ready: the start told the state. Time for a second telling to show: the network loop starts right after.
        await Task.Delay(TimeSpan.FromSeconds(1.5), cts.Token);
        string output = network.Daemon.Output;
        Assert.True(output.Split("The network at start: no route").Length == 2, output);
    }
}
