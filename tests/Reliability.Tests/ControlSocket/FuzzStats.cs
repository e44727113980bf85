using System.Collections.Concurrent;

namespace Reliability.Tests.ControlSocket;

/// <summary>What the fuzz workers did, shared between them: cases per kind, oddities noted, contract violations.</summary>
internal sealed class FuzzStats
{
    private readonly ConcurrentDictionary<string, int> _kinds = new();
    private readonly ConcurrentDictionary<string, int> _notes = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _skipped;
    private int _turnedAway;

    public int Cases => _kinds.Values.Sum();

    public int Skipped => Volatile.Read(ref _skipped);

    public int TurnedAway => Volatile.Read(ref _turnedAway);

    public IReadOnlyCollection<string> Violations => _violations;

    public IReadOnlyDictionary<string, int> Notes => _notes;

    /// <summary>Cases per kind, with the length suffix of huge-string kinds folded into one.</summary>
    public IReadOnlyDictionary<string, int> Kinds => _kinds
        .GroupBy(k => k.Key.StartsWith("huge-string", StringComparison.Ordinal) ? "huge-string" : k.Key)
        .ToDictionary(g => g.Key, g => g.Sum(k => k.Value));

    public void Count(string kind) => _kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Note(string note) => _notes.AddOrUpdate(note, 1, (_, n) => n + 1);

    public void Skip() => Interlocked.Increment(ref _skipped);

    public void TurnAway() => Interlocked.Increment(ref _turnedAway);

    public void Violation(string violation) => _violations.Enqueue(violation);

    public string Summary() =>
        $"{Cases} cases ({string.Join(", ", Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}); "
        + $"{Skipped} skipped as unsafe, {TurnedAway} connects turned away"
        + (Notes.Count > 0 ? "; noted: " + string.Join("; ", Notes.Select(n => $"{n.Key} (x{n.Value})")) : "");
}
