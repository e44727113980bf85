namespace GlobalProtect.Tests.Support;

/// <summary>The token a login in a test carries: only a guard so that a hang fails the test, never a measure of speed.</summary>
internal static class Deadline
{
    public static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
