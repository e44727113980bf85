namespace GpDaemon.Connection;

/// <summary>Structured fields (STATE, PORTAL, GATEWAY in the journal) for the state-change log events.</summary>
internal sealed class StateScope(string state, string? portal, string? gateway) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items =
        [new("State", state), new("Portal", portal), new("Gateway", gateway)];

    public int Count => _items.Length;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => $"State={_items[0].Value} Portal={_items[1].Value} Gateway={_items[2].Value}";
}
