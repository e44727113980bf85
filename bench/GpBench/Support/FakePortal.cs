namespace GpBench.Support;

/// <summary>tests/FakeGlobalProtect on 127.0.0.1: a portal and gateway that the real openconnect logs in to.</summary>
internal sealed class FakePortal : IAsyncDisposable
{
    private readonly Child _child;

    private FakePortal(Child child, string address, string pin)
    {
        _child = child;
        Address = address;
        Pin = pin;
    }

    public string Address { get; }

    public string Pin { get; }

    public static async Task<FakePortal> StartAsync(string program, CancellationToken cancellationToken)
    {
        Child child = Child.Start(program, ["--listen", "127.0.0.1:0", "--scenario", "password"]);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await child.WhenLineAsync("pin ").WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string output = child.Output;
            await child.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"the fake portal did not start; it wrote:\n{output}");
        }
        string[] lines = child.Output.Split('\n');
        string address = lines.First(l => l.StartsWith("listening ", StringComparison.Ordinal))["listening ".Length..].Trim();
        string pin = lines.First(l => l.StartsWith("pin ", StringComparison.Ordinal))["pin ".Length..].Trim();
        return new FakePortal(child, address, pin);
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
