using GpControl;
using GpDaemon.Connection;
using GpDaemon.Control;

namespace GpDaemon.Tests.Control;

public sealed class VpnStatusMapperTests
{
    [Fact]
    public void Every_state_has_its_name_on_the_wire()
    {
        foreach (ConnectionState state in Enum.GetValues<ConnectionState>())
        {
            VpnStatus status = VpnStatusMapper.ToControl(new ConnectionStatus(state));

            Assert.Equal(state.ToString(), status.State);
            Assert.Equal(state.ToString(), status.StateValue.ToString()); // gpctl reads it back as the same state
        }
    }

    [Fact]
    public void The_daemon_summarizes_a_status_in_the_words_gpctl_shows()
    {
        foreach (ConnectionState state in Enum.GetValues<ConnectionState>())
        {
            SummariesAgree(state);
        }
    }

    private static void SummariesAgree(ConnectionState state)
    {
        var status = new ConnectionStatus(state)
        {
            Portal = "vpn.example.com",
            Gateway = new Gateway("US East", "gw1.example.com", 1),
            Ipv4 = "10.1.2.3",
            Message = "why",
            Prompt = state == ConnectionState.NeedsInput ? new Prompt("p1", "Password:", true) : null,
        };

        Assert.Equal(VpnStatusMapper.ToControl(status).Summary(), status.Summary());
    }

    [Fact]
    public void A_status_carries_the_daemon_its_counters_and_a_utc_time()
    {
        var status = new ConnectionStatus(ConnectionState.Connected)
        {
            ConnectedSince = new DateTimeOffset(2025, 1, 2, 4, 4, 5, TimeSpan.FromHours(1)),
            BytesIn = 10,
            BytesOut = 20,
            OpenconnectPid = 4242,
        };

        VpnStatus wire = VpnStatusMapper.ToControl(status);

        Assert.Equal("2025-01-02T03:04:05Z", wire.ConnectedSince);
        Assert.Equal((10L, 20L, 4242), (wire.BytesIn!.Value, wire.BytesOut!.Value, wire.OpenconnectPid!.Value));
        Assert.Equal(Environment.ProcessId, wire.DaemonPid);
        Assert.Equal(DaemonInfo.Version, wire.Version);
    }
}
