namespace GpDaemon.Network;

internal sealed record OtherMessage(ushort Type, ushort Flags, uint Sequence) : NetlinkMessage(Type, Flags, Sequence);
