using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>The final answer to a getconfig or login, after any challenge round trips.</summary>
/// <param name="Reply">A document, a refusal or "does not exist"; never a challenge.</param>
/// <param name="Challenged">True when a one-time code was submitted on the way.</param>
internal sealed record SubmitOutcome(ServerReply Reply, bool Challenged);
