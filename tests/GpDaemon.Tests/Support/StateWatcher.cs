using GpControl;
using GpDaemon.Connection;

namespace GpDaemon.Tests.Support;

/// <summary>Follows a controller's published states, remembering all of them, so tests can wait for one and check the order.</summary>
internal sealed class StateWatcher : IDisposable
{
    private readonly ConnectionStateMachine.Subscription _subscription;
    private readonly List<StateSnapshot> _seen = [];

    public StateWatcher(ConnectionStateMachine controller)
    {
        _subscription = controller.Subscribe(capacity: 4096);
    }

    public IReadOnlyList<StateSnapshot> Seen => _seen;

    public IEnumerable<string> States => _seen.Select(s => s.Status.State.ToString());

    /// <summary>The states with consecutive repeats folded: a state re-published with new details counts once.</summary>
    public IEnumerable<string> StateChanges
    {
        get
        {
            string? previous = null;
            foreach (string state in States)
            {
                if (state != previous)
                {
                    yield return state;
                }
                previous = state;
            }
        }
    }

    /// <summary>Reads published states until one matches, and returns it.</summary>
    public async Task<StateSnapshot> WaitForAsync(Func<StateSnapshot, bool> match)
    {
        try
        {
            CancellationToken timeout = Wait.Token();
            while (true)
            {
                StateSnapshot snapshot = await _subscription.Reader.ReadAsync(timeout);
                _seen.Add(snapshot);
                if (match(snapshot))
                {
                    return snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching state; seen: {string.Join(", ", _seen.Select(Describe))}");
        }
    }

    public Task<StateSnapshot> WaitForAsync(ConnectionState state) => WaitForAsync(s => s.Status.State == state);

    private static string Describe(StateSnapshot s) =>
        s.Status.Message is null ? s.Status.State.ToString() : $"{s.Status.State} ({s.Status.Message})";

    public void Dispose() => _subscription.Dispose();
}
