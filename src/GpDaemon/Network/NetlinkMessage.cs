using System.Net;

namespace GpDaemon.Network;

/// <summary>One parsed rtnetlink message. Only the fields the follower uses; unknown types are <see cref="Other"/>.</summary>
internal abstract record NetlinkMessage(ushort Type, ushort Flags, uint Sequence);

/// <summary>RTM_NEWROUTE / RTM_DELROUTE.</summary>
internal sealed record RouteMessage(ushort Type, ushort Flags, uint Sequence, byte Family, byte DestinationLength, uint Table,
    byte RouteType, byte Scope, IPAddress? Destination, IPAddress? Gateway, int OutputInterface, IPAddress? PreferredSource,
    uint Priority, bool Multipath) : NetlinkMessage(Type, Flags, Sequence)
{
    public bool IsDefault => DestinationLength == 0;
}

/// <summary>RTM_NEWADDR / RTM_DELADDR.</summary>
internal sealed record AddressMessage(ushort Type, ushort Flags, uint Sequence, byte Family, byte PrefixLength, byte Scope,
    int InterfaceIndex, IPAddress? Address, uint AddressFlags) : NetlinkMessage(Type, Flags, Sequence);

/// <summary>RTM_NEWLINK / RTM_DELLINK.</summary>
internal sealed record LinkMessage(ushort Type, ushort Flags, uint Sequence, int InterfaceIndex, string? Name, uint LinkFlags)
    : NetlinkMessage(Type, Flags, Sequence);

/// <summary>NLMSG_ERROR: <see cref="Error"/> is 0 for an acknowledgement, else a negative errno.</summary>
internal sealed record ErrorMessage(ushort Type, ushort Flags, uint Sequence, int Error) : NetlinkMessage(Type, Flags, Sequence);

/// <summary>NLMSG_DONE: the end of a dump.</summary>
internal sealed record DoneMessage(ushort Type, ushort Flags, uint Sequence) : NetlinkMessage(Type, Flags, Sequence);

internal sealed record OtherMessage(ushort Type, ushort Flags, uint Sequence) : NetlinkMessage(Type, Flags, Sequence);
