namespace FakeGlobalProtect.Events;

/// <summary>Writes events as lines, flushed one by one, so a test reading the pipe sees each at once.</summary>
public sealed class LineEventSink(TextWriter writer) : IEventSink
{
    private readonly Lock _gate = new();

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            writer.Write(line);
            writer.Write('\n');
            writer.Flush();
        }
    }

    public void Emit(FakeEvent fakeEvent) => WriteLine(fakeEvent.Format());
}
