namespace FakeGlobalProtect.Options;

/// <summary>A command line the fake cannot run with; the message says what is wrong.</summary>
public sealed class UsageException(string message) : Exception(message);
