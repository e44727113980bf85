using GpDaemon.TestSupport;

namespace Integration.Tests.Network;

/// <summary>
/// Two network namespaces of the test's own joined by a veth pair: the client's (the daemon and openconnect, default
/// route via the server side) and the server's (the fake portal on an address of its own, reached only through that
/// default route; a second address on the link is another next hop to it). Nothing leaves the two namespaces.
/// Disposing stops the daemon and the fake, then deletes both namespaces and so the link.
/// </summary>
internal sealed class IsolatedNetwork : IAsyncDisposable
{
    public const string ClientAddress = "10.213.0.2";
    public const string Router = "10.213.0.1";
    public const string OtherRouter = "10.213.0.3";
    public const string PortalAddress = "10.214.0.1";
    private const string ClientLink = "gpc0";
    private const string ServerLink = "gps0";

    private readonly List<IAsyncDisposable> _processes = [];

    private IsolatedNetwork(NetworkNamespace client, NetworkNamespace server, TempDirectory directory)
    {
        Client = client;
        Server = server;
        Directory = directory;
    }

    public NetworkNamespace Client { get; }

    public NetworkNamespace Server { get; }

    public TempDirectory Directory { get; }

    public FakePortal Fake { get; private set; } = null!;

    public DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>The namespaces, the link and the routes; the fake in the server's namespace; a ready daemon in the
    /// client's with <paramref name="openConnect"/> lines in its [openconnect] table (and no system bus). Without
    /// <paramref name="defaultRoute"/> the client starts with no route (<see cref="AddDefaultRouteAsync"/> adds it).</summary>
    public static async Task<IsolatedNetwork> StartAsync(string openConnect, CancellationToken cancellationToken, string config = "",
        bool defaultRoute = true)
    {
        var directory = new TempDirectory("gpd-netns");
        NetworkNamespace? client = null;
        NetworkNamespace? server = null;
        IsolatedNetwork? network = null;
        try
        {
            client = await NetworkNamespace.CreateAsync(cancellationToken);
            server = await NetworkNamespace.CreateAsync(cancellationToken);
            network = new IsolatedNetwork(client, server, directory);
            await client.IpAsync(cancellationToken, "link", "add", ClientLink, "type", "veth", "peer", "name", ServerLink, "netns", server.Name);
            await server.BatchAsync([
                $"address add {Router}/24 dev {ServerLink}",
                $"address add {OtherRouter}/24 dev {ServerLink}",
                $"address add {PortalAddress}/32 dev lo",
                $"link set {ServerLink} up",
            ], cancellationToken);
            await client.BatchAsync([
                $"address add {ClientAddress}/24 dev {ClientLink}",
                $"link set {ClientLink} up",
            ], cancellationToken);
            if (defaultRoute)
                await network.AddDefaultRouteAsync(cancellationToken);

            network.Fake = await FakePortal.StartAsync(Binaries.FakePortal, "password", [], cancellationToken,
                listen: PortalAddress + ":0", launcher: ["ip", "netns", "exec", server.Name]);
            network._processes.Add(network.Fake);
            network.Daemon = await DaemonProcess.StartReadyAsync(directory.Path, network.Fake.Config(config) + "\n" + openConnect + "\n",
                // Suspend and resume are not this test's: no system bus.
                new Dictionary<string, string?> { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=" + directory.Combine("no-bus") },
                launcher: ["ip", "netns", "exec", client.Name]);
            network._processes.Add(network.Daemon);
            return network;
        }
        catch
        {
            if (network is not null)
                await network.DisposeAsync();
            else
            {
                server?.Dispose();
                client?.Dispose();
                directory.Dispose();
            }
            throw;
        }
    }

    public Task AddDefaultRouteAsync(CancellationToken cancellationToken) =>
        Client.IpAsync(cancellationToken, "route", "add", "default", "via", Router);

    public async ValueTask DisposeAsync()
    {
        for (int i = _processes.Count - 1; i >= 0; i--)
        {
            try
            {
                await _processes[i].DisposeAsync();
            }
            catch (Exception)
            {
                // The namespaces go in any case.
            }
        }
        Server.Dispose();
        Client.Dispose();
        Directory.Dispose();
    }
}
