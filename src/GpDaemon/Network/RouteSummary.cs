using System.Net;

namespace GpDaemon.Network;

/// <summary>A route as far as the tunnel cares: the interface it leaves by, the next hop and the source address.</summary>
internal sealed record RouteSummary(string Interface, IPAddress? Via, IPAddress? Source)
{
    public override string ToString() =>
        Interface + (Via is null ? "" : " via " + Via) + (Source is null ? "" : " from " + Source);
}
