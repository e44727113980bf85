using System.Net;

namespace GpDaemon.Network;

/// <summary>RTM_NEWADDR / RTM_DELADDR.</summary>
internal sealed record AddressMessage(ushort Type, ushort Flags, uint Sequence, byte Family, byte PrefixLength, byte Scope,
    int InterfaceIndex, IPAddress? Address, uint AddressFlags) : NetlinkMessage(Type, Flags, Sequence);
