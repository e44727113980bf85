namespace GpDaemon.Tests.Support;

/// <summary>The one generous timeout that keeps a broken test from hanging; never a measure of speed.</summary>
internal static class Wait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Limit).Token;

    public static Task<T> For<T>(Task<T> task) => task.WaitAsync(Limit);

    public static Task For(Task task) => task.WaitAsync(Limit);
}
