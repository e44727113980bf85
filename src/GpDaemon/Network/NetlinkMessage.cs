namespace GpDaemon.Network;

/// <summary>One parsed rtnetlink message. Only the fields the follower uses; unknown types are <see cref="OtherMessage"/>.</summary>
internal abstract record NetlinkMessage(ushort Type, ushort Flags, uint Sequence);
