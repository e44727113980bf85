using Microsoft.Extensions.Logging;

namespace GpTunnel.Tests.Support;

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);
