using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GpTunnel.Tests.Support;

/// <summary>Keeps every log entry, to check what reaches the log (and what never may).</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), values.ToArray()));
    }

    /// <summary>Everything that was logged, messages and structured values, as one text.</summary>
    public string AllText() => string.Join('\n', Entries.Select(e =>
        e.Message + " | " + string.Join(' ', e.State.Select(kv => $"{kv.Key}={kv.Value}"))));
}
