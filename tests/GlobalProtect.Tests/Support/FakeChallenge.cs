namespace GlobalProtect.Tests.Support;

internal sealed record FakeChallenge(ChallengeForm Form, string Message, string InputStr, string Code);
