namespace GpDaemon.TestSupport;

/// <summary>Bounded polling: the bound is only a guard against hangs, never what a test asserts.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, Func<T, string>? describe = null,
        TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        T last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}; last seen: {(describe is null ? last?.ToString() : describe(last))}");
            }
            await Task.Delay(50);
            last = await probe();
        }
        return last;
    }
}
