using GpDaemon.Connection;

namespace GpDaemon.Tests.Connection;

public sealed class ConnectionTransitionsTests
{
    [Fact]
    public void Events_from_outside_the_tunnel_are_defined_in_every_state()
    {
        // Monitors send these at any time: none may meet a state the table does not know.
        foreach (ConnectionState from in Enum.GetValues<ConnectionState>())
        {
            foreach (ConnectionEvent e in new[] { ConnectionEvent.ReconnectRequested, ConnectionEvent.NetworkLost, ConnectionEvent.NetworkAvailable })
            {
                ConnectionTransitions.Next(from, e);
            }
        }
    }

    [Fact]
    public void Only_a_working_tunnel_is_told_to_reconnect()
    {
        var moves = Enum.GetValues<ConnectionState>()
            .Where(s => ConnectionTransitions.Next(s, ConnectionEvent.ReconnectRequested) is not null)
            .ToList();

        Assert.Equal([ConnectionState.Connected], moves);
        Assert.Equal(ConnectionState.Reconnecting, ConnectionTransitions.Next(ConnectionState.Connected, ConnectionEvent.ReconnectRequested));
    }

    [Fact]
    public void A_connect_starts_from_no_connection_only()
    {
        Assert.Equal(ConnectionState.Authenticating, ConnectionTransitions.Next(ConnectionState.Disconnected, ConnectionEvent.Connect));
        Assert.Equal(ConnectionState.Authenticating, ConnectionTransitions.Next(ConnectionState.Failed, ConnectionEvent.Connect));
        Assert.Throws<IllegalTransitionException>(() => ConnectionTransitions.Next(ConnectionState.Connected, ConnectionEvent.Connect));
    }

    [Fact]
    public void A_move_the_diagram_does_not_have_is_refused_loudly()
    {
        var ex = Assert.Throws<IllegalTransitionException>(() => ConnectionTransitions.Next(ConnectionState.Disconnected, ConnectionEvent.TunnelUp));

        Assert.Equal(ConnectionState.Disconnected, ex.From);
        Assert.Equal(ConnectionEvent.TunnelUp, ex.Event);
        Assert.Contains("Disconnected", ex.Message);
    }

    [Fact]
    public void Every_state_but_disconnected_and_failed_can_be_left_by_a_disconnect_or_a_failure()
    {
        foreach ((ConnectionState from, ConnectionEvent e, ConnectionState? to) in ConnectionTransitions.All)
        {
            if (to is { } next && next != ConnectionState.Disconnected)
            {
                // Wherever the machine can go, it can be brought back to Disconnected.
                Assert.NotNull(ConnectionTransitions.Next(next, ConnectionEvent.Disconnect) ?? ConnectionTransitions.Next(next, ConnectionEvent.Stopped));
            }
        }
    }
}
