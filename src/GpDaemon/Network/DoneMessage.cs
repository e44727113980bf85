namespace GpDaemon.Network;

/// <summary>NLMSG_DONE: the end of a dump.</summary>
internal sealed record DoneMessage(ushort Type, ushort Flags, uint Sequence) : NetlinkMessage(Type, Flags, Sequence);
