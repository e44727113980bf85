using System.Globalization;
using GpControl;
using GpDaemon.Connection;

namespace GpDaemon.Control;

/// <summary>The one place the state machine's status becomes the io.gpdaemon.Vpn status that clients read.</summary>
internal static class VpnStatusMapper
{
    public static VpnStatus ToControl(ConnectionStatus status) => new()
    {
        State = ToControl(status.State),
        Portal = status.Portal,
        Gateway = status.Gateway,
        User = status.User,
        Interface = status.Interface,
        Ipv4 = status.Ipv4,
        Ipv6 = status.Ipv6,
        Dns = status.Dns,
        DnsDomains = status.DnsDomains,
        Routes = status.Routes,
        ExcludedRoutes = status.ExcludedRoutes,
        ConnectedSince = status.ConnectedSince?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        HipReport = status.HipReport,
        BytesIn = status.BytesIn,
        BytesOut = status.BytesOut,
        OpenconnectPid = status.OpenconnectPid,
        DaemonPid = Environment.ProcessId,
        Version = DaemonInfo.Version,
        Message = status.Message,
        Prompt = status.Prompt,
    };

    /// <summary>The state's name on the wire (the names README lists).</summary>
    public static string ToControl(ConnectionState state) => (state switch
    {
        ConnectionState.Disconnected => VpnState.Disconnected,
        ConnectionState.Authenticating => VpnState.Authenticating,
        ConnectionState.NeedsInput => VpnState.NeedsInput,
        ConnectionState.Connecting => VpnState.Connecting,
        ConnectionState.Connected => VpnState.Connected,
        ConnectionState.Reconnecting => VpnState.Reconnecting,
        ConnectionState.Disconnecting => VpnState.Disconnecting,
        ConnectionState.Failed => VpnState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    }).ToString();
}
