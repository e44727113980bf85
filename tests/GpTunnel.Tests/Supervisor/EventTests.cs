using GpTunnel.Tests.Support;
using Microsoft.Extensions.Logging;

namespace GpTunnel.Tests.Supervisor;

public sealed class EventTests
{
    [Fact]
    public async Task Tunnel_up_carries_what_openconnect_gave_the_script()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();

        var (up, before) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        Assert.Empty(before);
        Assert.Equal("tun-standin", up.Info.Interface);
        Assert.Equal("10.99.0.2", up.Info.Ipv4);
        Assert.Null(up.Info.Ipv6);
        Assert.Equal(["10.99.0.53", "10.99.0.54"], up.Info.Dns);
        Assert.Equal(["10.99.0.0/16", "192.168.5.0/24"], up.Info.Routes);
        Assert.Equal("127.0.0.1", up.Info.Gateway);
        Assert.Equal(1400, up.Info.Mtu);
        Assert.Equal("corp.example lab.example", up.Info.DnsDomain);
        Assert.Equal(new DateTime(2026, 11, 30, 0, 59, 36), up.Info.SessionExpires?.DateTime);
        Assert.True(up.Info.SameAs(tunnel.Info));
        // The wrapper forwarded both calls to the configured vpnc-script.
        Assert.Equal(["pre-init", "connect"], setup.VpncReasons);
    }

    [Fact]
    public async Task Stop_sends_one_sigterm_and_the_last_event_is_a_clean_exit()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await setup.StandIn.WaitForRecordAsync("waiting");

        await tunnel.StopAsync(EventReader.Deadline());
        await tunnel.StopAsync(EventReader.Deadline());

        var rest = await EventReader.ReadAllAsync(tunnel.Events);
        Assert.Equal(new TunnelExited(0, false, null), Assert.Single(rest));
        Assert.Equal(0, await tunnel.Exited);
        Assert.Equal(1, setup.StandIn.SignalCount("TERM"));
        Assert.Equal(["pre-init", "connect", "disconnect"], setup.VpncReasons);
        Assert.Contains(setup.Logger.Entries, e => e.Message.Contains("Logout successful.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hanging_openconnect_gets_one_sigterm_then_sigkill_after_the_bound()
    {
        await using var setup = new StandInSetup(new StandInBehavior { IgnoreTerm = true },
            o => o with { StopTimeout = TimeSpan.FromMilliseconds(500) });
        var tunnel = await setup.StartAsync();
        await setup.StandIn.WaitForRecordAsync("waiting");

        await tunnel.StopAsync(EventReader.Deadline());

        Assert.Equal(128 + 9, await tunnel.Exited);
        Assert.Equal(1, setup.StandIn.SignalCount("TERM"));
        var exited = (await EventReader.ReadAllAsync(tunnel.Events)).OfType<TunnelExited>().Single();
        Assert.Equal(137, exited.ExitCode);
        Assert.False(exited.CookieRejected);
        Assert.Equal("openconnect was killed by signal 9", exited.LastError);
        Assert.Contains(setup.Logger.Entries, e => e.EventId.Id == 3021 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Cancelling_the_wait_for_stop_does_not_cancel_the_stop()
    {
        await using var setup = new StandInSetup(new StandInBehavior { IgnoreTerm = true },
            o => o with { StopTimeout = TimeSpan.FromMilliseconds(500) });
        var tunnel = await setup.StartAsync();
        await setup.StandIn.WaitForRecordAsync("waiting");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => tunnel.StopAsync(new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(137, await tunnel.Exited);
        Assert.Equal(1, setup.StandIn.SignalCount("TERM"));
    }

    [Fact]
    public async Task Exit_code_2_reports_a_rejected_cookie_with_the_reason()
    {
        await using var setup = new StandInSetup(new StandInBehavior
        {
            Connect = false,
            ExitCode = 2,
            ExitLines = ["Got unexpected HTTP response: HTTP/1.1 502 Bad Gateway", "Creating SSL connection failed",
                "Cookie was rejected by server; exiting."],
        });
        var tunnel = await setup.StartAsync();

        var events = await EventReader.ReadAllAsync(tunnel.Events);

        var exited = Assert.IsType<TunnelExited>(Assert.Single(events));
        Assert.True(exited.CookieRejected);
        Assert.Equal(2, exited.ExitCode);
        Assert.Equal("Cookie was rejected by server; exiting.", exited.LastError);
        Assert.Null(tunnel.Info);
    }

    [Fact]
    public async Task Failure_after_the_tunnel_was_up_reports_the_specific_error_not_the_generic_one()
    {
        await using var setup = new StandInSetup(new StandInBehavior
        {
            ExitCode = 1,
            ExitLines = ["Failed to bind local tun device (TUNSETIFF): Operation not permitted", "Set up tun device failed",
                "Unknown error; exiting."],
        });
        var tunnel = await setup.StartAsync();

        var events = await EventReader.ReadAllAsync(tunnel.Events);

        Assert.IsType<TunnelUp>(events[0]);
        var exited = Assert.IsType<TunnelExited>(events[^1]);
        Assert.Equal(new TunnelExited(1, false, "Set up tun device failed"), exited);
    }

    [Fact]
    public async Task Exit_reason_survives_a_child_that_keeps_the_output_open()
    {
        await using var setup = new StandInSetup(new StandInBehavior
        {
            ExitCode = 1,
            ExitLines = ["Set up tun device failed", "Unknown error; exiting."],
            LeaveOutputHolder = true,
        });
        var tunnel = await setup.StartAsync();

        // The readers never see end of file from the child; past the drain timeout they must still deliver the
        // lines already written, then finish.
        var events = await EventReader.ReadAllAsync(tunnel.Events);

        Assert.Equal(new TunnelExited(1, false, "Set up tun device failed"), Assert.IsType<TunnelExited>(events[^1]));
    }

    [Fact]
    public async Task Cookie_printed_by_openconnect_never_reaches_the_log()
    {
        await using var setup = new StandInSetup(new StandInBehavior { EchoCookie = true });
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await tunnel.StopAsync(EventReader.Deadline());

        var log = setup.Logger.AllText();
        Assert.Contains("POST body: ***", log, StringComparison.Ordinal);
        Assert.DoesNotContain(StandInSetup.AuthCookieValue, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_vpnc_script_is_a_warning_and_the_tunnel_still_reports_up()
    {
        await using var setup = new StandInSetup(new StandInBehavior(),
            o => o with { VpncScript = "/nonexistent/vpnc-script" });
        var tunnel = await setup.StartAsync();

        var (up, _) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        Assert.Equal("10.99.0.2", up.Info.Ipv4);
        Assert.Contains(setup.Logger.Entries, e => e.EventId.Id == 3030);
    }

    [Fact]
    public async Task Output_lines_become_structured_log_events()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        var configured = setup.Logger.Entries.Single(e => e.EventId.Id == 3002
            && e.Message.EndsWith("Configured as 10.99.0.2, with SSL connected and ESP disabled", StringComparison.Ordinal));
        Assert.Contains(configured.State, kv => kv.Key == "ProcessId" && Equals(kv.Value, tunnel.ProcessId));
        Assert.Contains(configured.State, kv => kv.Key == "Line");
        Assert.Contains(setup.Logger.Entries, e => e.EventId.Id == 3010);
        // Report lines are data, not chatter.
        Assert.DoesNotContain(setup.Logger.Entries, e => e.EventId.Id == 3002 && e.Message.Contains("@gptunnel:", StringComparison.Ordinal));
    }
}
