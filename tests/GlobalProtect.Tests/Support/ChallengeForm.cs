namespace GlobalProtect.Tests.Support;

internal enum ChallengeForm
{
    Script,
    Xml,
}
