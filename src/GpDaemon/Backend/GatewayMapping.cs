using GlobalProtect;

namespace GpDaemon.Backend;

internal static class GatewayMapping
{
    public static GpControl.Gateway ToControl(GatewayInfo gateway) => new(gateway.Name, gateway.Address, gateway.Priority);
}
