using GpDaemon.Config;
using GpTunnel;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Backend;

/// <summary>
/// The one place an <see cref="OpenConnectSupervisor"/> is built: for each tunnel from the configuration in force
/// when it starts (a reload applies to the next tunnel), and for the left-over check at start. All of them share the
/// runtime directory, hence the pid file a left-over check looks for.
/// </summary>
internal sealed class SupervisorFactory(DaemonPaths paths, ILogger<OpenConnectSupervisor> logger)
{
    public OpenConnectSupervisor For(DaemonConfig config) => new(Options(paths, config), logger);

    private static OpenConnectOptions Options(DaemonPaths paths, DaemonConfig config) => new()
    {
        Path = config.OpenConnect.Path,
        VpncScript = config.OpenConnect.Script,
        Interface = config.OpenConnect.Interface ?? paths.DefaultInterface,
        ScriptTun = config.OpenConnect.ScriptTun,
        TunHandler = config.OpenConnect.TunHandler,
        Mtu = config.OpenConnect.Mtu,
        Routes = new SplitRoutes(config.Routes.Include, config.Routes.Exclude),
        SplitDnsDomains = config.Dns.SplitDomains,
        ExtraArgs = config.OpenConnect.ExtraArgs,
        RuntimeDirectory = Path.Combine(paths.RuntimeDirectory, "tunnel"),
        StopTimeout = config.OpenConnect.StopTimeout,
        DeadPeerInterval = config.OpenConnect.DeadPeerInterval,
    };
}
