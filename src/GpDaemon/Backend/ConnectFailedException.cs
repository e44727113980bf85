namespace GpDaemon.Backend;

/// <summary>A failure with the message a user should read.</summary>
internal sealed class ConnectFailedException(FailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}
