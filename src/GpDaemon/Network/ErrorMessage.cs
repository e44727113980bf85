namespace GpDaemon.Network;

/// <summary>NLMSG_ERROR: <see cref="Error"/> is 0 for an acknowledgement, else a negative errno.</summary>
internal sealed record ErrorMessage(ushort Type, ushort Flags, uint Sequence, int Error) : NetlinkMessage(Type, Flags, Sequence);
