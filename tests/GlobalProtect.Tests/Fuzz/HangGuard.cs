using System.Diagnostics;

namespace GlobalProtect.Tests.Fuzz;

/// <summary>
/// Runs fuzz cases one after another on a background thread and watches each one's run time. The bound only detects
/// a hang (a parser that never returns): it is far beyond what any case needs, and nothing else is timed.
/// </summary>
internal static class HangGuard
{
    public static async Task RunAsync(int count, Action<int> runCase, Func<string> describeCurrent, TimeSpan bound)
    {
        long startedAt = Stopwatch.GetTimestamp();
        int current = -1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < count; i++)
                {
                    Volatile.Write(ref current, i);
                    Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
                    runCase(i);
                }
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true, // a hung parser must not keep the test run alive
            Name = "fuzz cases",
        };
        worker.Start();
        while (!done.Task.IsCompleted)
        {
            await Task.WhenAny(done.Task, Task.Delay(100));
            if (!done.Task.IsCompleted && Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt)) > bound)
            {
                throw new TimeoutException($"case #{Volatile.Read(ref current)} ran for more than {bound.TotalSeconds} s: {describeCurrent()}");
            }
        }
        await done.Task;
    }
}
