using GpControl;
using GpText;

namespace GpCtl;

/// <summary>
/// A status with every text made safe for the terminal (<see cref="UntrustedText"/>) before gpctl prints it: the daemon
/// cleans what it receives, and gpctl does not rely on that, since any status reader may run it.
/// </summary>
internal static class SafeStatus
{
    public static VpnStatus Of(VpnStatus status) => status with
    {
        State = UntrustedText.Clean(status.State),
        Portal = UntrustedText.CleanOrNull(status.Portal),
        Gateway = status.Gateway is { } g ? g with { Name = UntrustedText.Clean(g.Name), Address = UntrustedText.Clean(g.Address) } : null,
        User = UntrustedText.CleanOrNull(status.User),
        Interface = UntrustedText.CleanOrNull(status.Interface),
        Ipv4 = UntrustedText.CleanOrNull(status.Ipv4),
        Ipv6 = UntrustedText.CleanOrNull(status.Ipv6),
        Dns = status.Dns?.Select(d => UntrustedText.Clean(d)).ToList(),
        Routes = status.Routes?.Select(r => UntrustedText.Clean(r)).ToList(),
        ExcludedRoutes = status.ExcludedRoutes?.Select(r => UntrustedText.Clean(r)).ToList(),
        DnsDomains = status.DnsDomains?.Select(d => UntrustedText.Clean(d)).ToList(),
        ConnectedSince = UntrustedText.CleanOrNull(status.ConnectedSince),
        HipReport = UntrustedText.CleanOrNull(status.HipReport),
        Version = UntrustedText.Clean(status.Version),
        Message = UntrustedText.CleanOrNull(status.Message),
        Prompt = status.Prompt is { } p ? p with { Message = UntrustedText.Clean(p.Message), From = UntrustedText.CleanOrNull(p.From) } : null,
    };
}
