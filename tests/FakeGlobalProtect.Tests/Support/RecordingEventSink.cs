using FakeGlobalProtect.Events;

namespace FakeGlobalProtect.Tests.Support;

/// <summary>Keeps every event the in-process fake emits.</summary>
public sealed class RecordingEventSink : IEventSink
{
    private readonly Lock _gate = new();
    private readonly List<FakeEvent> _events = [];

    public IReadOnlyList<FakeEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<FakeEvent> Named(string name) => Events.Where(e => e.Name == name).ToList();

    public void Emit(FakeEvent fakeEvent)
    {
        lock (_gate)
        {
            _events.Add(fakeEvent);
        }
    }
}
