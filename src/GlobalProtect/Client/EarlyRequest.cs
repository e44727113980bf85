namespace GlobalProtect.Client;

/// <summary>
/// A request sent before it is known to be needed, so that its round trip overlaps another one. Disposing cancels it
/// if it is still running and observes its outcome, so an unused one never leaves an unobserved failure behind.
/// </summary>
internal sealed class EarlyRequest : IDisposable
{
    private readonly CancellationTokenSource _cancel;

    public EarlyRequest(Func<CancellationToken, Task<HttpReply>> send, CancellationToken cancellationToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Reply = send(_cancel.Token);
    }

    public Task<HttpReply> Reply { get; }

    public void Dispose()
    {
        if (!Reply.IsCompleted)
        {
            _cancel.Cancel();
        }

        // Whatever became of it is of no interest once the login went on without it.
        _ = Reply.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _cancel.Dispose();
    }
}
