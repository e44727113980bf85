namespace Reliability.Tests.ControlSocket;

/// <summary>What came back for a fuzz case: the first reply, a close, a close in the middle of a reply, or nothing in time.</summary>
internal sealed record FuzzOutcome(byte[]? Reply, bool Closed, bool ClosedMidReply, bool TimedOut)
{
    public override string ToString() =>
        Reply is not null ? $"reply ({Reply.Length} bytes)" : Closed ? "closed" : ClosedMidReply ? "closed in the middle of a reply" : "no reply and no close";
}
