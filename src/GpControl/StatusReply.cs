namespace GpControl;

public sealed record StatusReply(VpnStatus Status);
