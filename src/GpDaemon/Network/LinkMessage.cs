namespace GpDaemon.Network;

/// <summary>RTM_NEWLINK / RTM_DELLINK.</summary>
internal sealed record LinkMessage(ushort Type, ushort Flags, uint Sequence, int InterfaceIndex, string? Name, uint LinkFlags)
    : NetlinkMessage(Type, Flags, Sequence);
