using GpDaemon.Auth;
using GpDaemon.Config;
using GpDaemon.Instances;
using GpTunnel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Connection;

internal static class BackendFactory
{
    public static OpenConnectSupervisor CreateSupervisor(IServiceProvider services, DaemonPaths paths, DaemonConfig config) => new(
        SupervisorOptions(paths, config), services.GetRequiredService<ILogger<OpenConnectSupervisor>>());

    public static OpenConnectOptions SupervisorOptions(DaemonPaths paths, DaemonConfig config) => new()
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
        };

    public static IVpnBackend Create(IServiceProvider services, DaemonPaths paths) => new GlobalProtectBackend(
        services.GetRequiredService<ConfigStore>(),
        new SessionStore(Path.Combine(paths.StateDirectory, "sessions"), services.GetRequiredService<ILogger<SessionStore>>()),
        config => new OpenConnectSupervisor(SupervisorOptions(paths, config), services.GetRequiredService<ILogger<OpenConnectSupervisor>>()),
        services.GetRequiredService<InstanceRegistry>(),
        services.GetRequiredService<ILogger<GlobalProtectBackend>>());
}
