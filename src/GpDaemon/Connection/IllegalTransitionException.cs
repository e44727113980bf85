namespace GpDaemon.Connection;

/// <summary>A move the state diagram (<see cref="ConnectionTransitions"/>) does not allow: a bug in the state machine.</summary>
internal sealed class IllegalTransitionException(ConnectionState from, ConnectionEvent @event)
    : InvalidOperationException($"the state machine cannot go from {from} on {@event}")
{
    public ConnectionState From { get; } = from;

    public ConnectionEvent Event { get; } = @event;
}
