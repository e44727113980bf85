using System.Net;

namespace GpDaemon.Network;

/// <summary>RTM_NEWROUTE / RTM_DELROUTE.</summary>
internal sealed record RouteMessage(ushort Type, ushort Flags, uint Sequence, byte Family, byte DestinationLength, uint Table,
    byte RouteType, byte Scope, IPAddress? Destination, IPAddress? Gateway, int OutputInterface, IPAddress? PreferredSource,
    uint Priority, bool Multipath) : NetlinkMessage(Type, Flags, Sequence)
{
    public bool IsDefault => DestinationLength == 0;
}
