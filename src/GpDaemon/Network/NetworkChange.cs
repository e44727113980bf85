namespace GpDaemon.Network;

/// <summary>One settled change. <see cref="Reason"/> says what changed, for logs and gpctl status.</summary>
internal sealed record NetworkChange(NetworkChangeKind Kind, string Reason);
