namespace GpTunnel.Tests;

/// <summary>Transcripts of openconnect 9.01 against the fake gateway (stdout unless marked !), fed line by line.</summary>
public sealed class TunnelTrackerTests
{
    private const string Nonce = "feed";
    private const string Tag = "@gptunnel:feed";

    private static readonly string[] ConnectTranscript =
    [
        "POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp",
        "Connected to 127.0.0.1:44989",
        "! Did not receive ESP keys and matching gateway in GlobalProtect config; tunnel will be TLS only.",
        "POST https://127.0.0.1:44989/ssl-vpn/hipreportcheck.esp",
        "! Set up UDP failed; using SSL instead",
        "Configured as 10.99.0.2, with SSL connected and ESP disabled",
        "Session authentication will expire at Mon Nov 30 00:59:36 2026",
        "",
    ];

    private static string[] Report(string reason, int status = 0, params string[] sets) =>
        [$"{Tag} begin {reason}", .. sets.Select(s => $"{Tag} set {s}"), $"{Tag} end {reason} {status}"];

    private static List<TunnelEvent> Feed(TunnelTracker tracker, IEnumerable<string> lines)
    {
        var events = new List<TunnelEvent>();
        foreach (var line in lines)
        {
            var stderr = line.StartsWith("! ", StringComparison.Ordinal);
            events.AddRange(tracker.OnLine(stderr ? line[2..] : line, stderr).Events);
        }
        return events;
    }

    [Fact]
    public void Configured_line_alone_does_not_mean_up_because_the_tun_device_comes_after_it()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Assert.Empty(Feed(tracker, [.. ConnectTranscript, .. Report("pre-init", 0, "TUNDEV=gp0")]));
        Assert.Null(tracker.Info);
    }

    [Fact]
    public void Connect_report_brings_the_tunnel_up_with_configured_details_merged()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        var events = Feed(tracker, [.. ConnectTranscript, .. Report("pre-init", 0, "TUNDEV=gp0"),
            .. Report("connect", 0, "TUNDEV=gp0", "INTERNAL_IP4_DNS=10.99.0.53")]);

        var up = Assert.IsType<TunnelUp>(Assert.Single(events));
        Assert.Equal(("gp0", "10.99.0.2"), (up.Info.Interface, up.Info.Ipv4));
        Assert.Equal(["10.99.0.53"], up.Info.Dns);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 59, 36, TimeSpan.Zero), up.Info.SessionExpires);
    }

    [Fact]
    public void Tun_device_reconnect_goes_reconnecting_then_up_from_the_script_calls()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, [.. ConnectTranscript, .. Report("connect", 0, "TUNDEV=gp0", "INTERNAL_IP4_ADDRESS=10.99.0.2")]);

        var events = Feed(tracker,
        [
            "! Read error on SSL session: The TLS connection was non-properly terminated.",
            "! Packet receive error: Operation not permitted",
            .. Report("attempt-reconnect", 0, "TUNDEV=gp0"),
            "POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp",
            "POST https://127.0.0.1:44989/ssl-vpn/hipreportcheck.esp",
            .. Report("reconnect", 0, "TUNDEV=gp0", "INTERNAL_IP4_ADDRESS=10.99.0.2"),
        ]);

        Assert.Equal(2, events.Count);
        Assert.Equal("Packet receive error: Operation not permitted", Assert.IsType<TunnelReconnecting>(events[0]).Reason);
        Assert.Equal("gp0", Assert.IsType<TunnelUp>(events[1]).Info.Interface);
    }

    [Fact]
    public void Script_tun_reconnect_is_back_up_at_the_hip_check_of_the_reconnect()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: true, TimeZoneInfo.Utc);
        var first = Feed(tracker, [.. ConnectTranscript, .. Report("tun-script", 0, "INTERNAL_IP4_ADDRESS=10.99.0.2")]);
        Assert.IsType<TunnelUp>(Assert.Single(first));

        var events = Feed(tracker,
        [
            "! Packet receive error: Operation not permitted",
            "POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp",
            "POST https://127.0.0.1:44989/ssl-vpn/hipreportcheck.esp",
        ]);

        Assert.IsType<TunnelReconnecting>(events[0]);
        Assert.Equal("10.99.0.2", Assert.IsType<TunnelUp>(events[1]).Info.Ipv4);
        Assert.True(tracker.IsUp);
    }

    [Fact]
    public void Repeated_reconnect_lines_make_one_reconnecting_event()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, Report("connect", 0, "TUNDEV=gp0"));
        var events = Feed(tracker,
        [
            "! GPST Dead Peer Detection detected dead peer!",
            .. Report("attempt-reconnect"),
            "sleep 10s, remaining timeout 300s",
            .. Report("attempt-reconnect"),
        ]);
        Assert.IsType<TunnelReconnecting>(Assert.Single(events));
    }

    [Theory]
    [InlineData("GPST Dead Peer Detection detected dead peer!")]
    [InlineData("ESP detected dead peer")]
    public void A_dead_peer_after_up_is_a_reconnect_with_openconnects_line_as_the_reason(string line)
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, Report("connect", 0, "TUNDEV=gp0"));
        var events = Feed(tracker, ["! " + line]);
        Assert.Equal(line, Assert.IsType<TunnelReconnecting>(Assert.Single(events)).Reason);
    }

    [Fact]
    public void Reconnect_lines_before_the_first_up_are_not_reconnects()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Assert.Empty(Feed(tracker, ["! Packet receive error: Operation not permitted"]));
    }

    [Fact]
    public void Clean_exit_has_no_error_even_after_stderr_noise()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, ["! Failed to write incoming packet: Input/output error", "User cancelled (SIGINT/SIGTERM); exiting."]);
        Assert.Equal(new TunnelExited(0, false, null), tracker.OnExit(0));
    }

    [Fact]
    public void Rejected_cookie_at_start_is_reported_with_the_specific_line()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker,
        [
            "POST https://127.0.0.1:44989/ssl-vpn/getconfig.esp",
            "! Creating SSL connection failed",
            "! Cookie was rejected by server; exiting.",
        ]);
        Assert.Equal(new TunnelExited(2, true, "Cookie was rejected by server; exiting."), tracker.OnExit(2));
    }

    [Fact]
    public void Generic_failure_is_reported_when_nothing_more_specific_was_said()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, ["Unrecoverable I/O error; exiting."]);
        Assert.Equal(new TunnelExited(1, false, "Unrecoverable I/O error; exiting."), tracker.OnExit(1));
    }

    [Fact]
    public void Errors_of_a_recovered_reconnect_do_not_explain_a_later_exit()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, Report("connect", 0, "TUNDEV=gp0"));
        Feed(tracker, ["! Packet receive error: Operation not permitted", .. Report("reconnect", 0, "TUNDEV=gp0")]);
        Assert.Equal(new TunnelExited(137, false, "openconnect was killed by signal 9"), tracker.OnExit(137));
    }

    [Fact]
    public void An_error_read_before_the_first_connect_report_still_explains_the_exit()
    {
        // stderr and stdout are read apart: openconnect's error, written just after its connect report, may be read first.
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Feed(tracker, ["! Set up tun device failed", .. Report("connect", 0, "TUNDEV=gp0")]);
        Assert.Equal(new TunnelExited(1, false, "Set up tun device failed"), tracker.OnExit(1));
    }

    [Fact]
    public void Unchanged_report_does_not_repeat_tunnel_up()
    {
        var tracker = new TunnelTracker(Nonce, scriptTun: false, TimeZoneInfo.Utc);
        Assert.Single(Feed(tracker, Report("connect", 0, "TUNDEV=gp0")));
        Assert.Empty(Feed(tracker, Report("connect", 0, "TUNDEV=gp0")));
        Assert.Single(Feed(tracker, Report("connect", 0, "TUNDEV=gp1")));
    }
}
