namespace GpDaemon.TestSupport;

/// <summary>
/// The cancellation token every client call in the tests carries: generous, only a guard so that a deadlock fails
/// the test with a timeout instead of stalling the run; never a measure of speed.
/// </summary>
public static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static CancellationToken Token(TimeSpan? limit = null) => new CancellationTokenSource(limit ?? Default).Token;
}
