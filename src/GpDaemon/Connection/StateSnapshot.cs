using GpDaemon.Backend;

namespace GpDaemon.Connection;

/// <summary>One published state: the status clients see, and (for Failed) what kind of failure it was.</summary>
internal sealed record StateSnapshot(ConnectionStatus Status, FailureKind? Failure, uint? OwnerUid, long Sequence)
{
    /// <summary>Who started the current attempt (null when there is none).</summary>
    public ConnectSource? Source { get; init; }
}
