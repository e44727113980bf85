namespace GpDaemon;

internal sealed class UsageException(string message) : Exception(message);
