using System.Globalization;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.Supervisor;

/// <summary>
/// An openconnect that dies without running the vpnc-script's disconnect (SIGKILL, a crash): the supervisor runs it
/// with the environment the script last got, before it reports the exit. The real vpnc-script keys its resolv.conf
/// backup on VPNPID, so that must be the dead openconnect's pid.
/// </summary>
public sealed class UncleanExitTests
{
    [Fact]
    public async Task Killed_openconnect_gets_the_vpnc_scripts_disconnect_with_its_environment_before_the_exit_event()
    {
        await using var setup = new StandInSetup(new StandInBehavior(), o => o with { VpncScript = RecordingScript(o) });
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await setup.StandIn.WaitForRecordAsync("waiting");
        Assert.True(File.Exists(SavedEnvironmentPath(setup)));

        Tmds.Linux.LibC.kill(tunnel.ProcessId, Tmds.Linux.LibC.SIGKILL);
        setup.StandIn.KillSleeper();
        var exited = (await EventReader.ReadAllAsync(tunnel.Events)).OfType<TunnelExited>().Single();

        Assert.Equal(137, exited.ExitCode);
        // The disconnect ran before the exit was reported.
        Assert.Equal(["pre-init", "connect", "disconnect"], Reasons(setup));
        var environment = DisconnectEnvironment(setup);
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture), environment["VPNPID"]);
        Assert.Equal("tun-standin", environment["TUNDEV"]);
        Assert.Equal("10.99.0.53 10.99.0.54", environment["INTERNAL_IP4_DNS"]);
        Assert.Equal("127.0.0.1", environment["VPNGATEWAY"]);
        Assert.Equal("2", environment["CISCO_SPLIT_INC"]);
        Assert.Equal("192.168.5.0", environment["CISCO_SPLIT_INC_1_ADDR"]);
        Assert.Equal("24", environment["CISCO_SPLIT_INC_1_MASKLEN"]);
        // Only what the wrapper whitelists: not the banner (free text from the gateway), never the cookie.
        Assert.False(environment.ContainsKey("CISCO_BANNER"));
        Assert.DoesNotContain(environment.Values, v => v.Contains(StandInSetup.AuthCookieValue, StringComparison.Ordinal));
        Assert.False(File.Exists(SavedEnvironmentPath(setup)));
        Assert.Contains(setup.Logger.Entries, e => e.EventId.Id == 3032);
    }

    [Fact]
    public async Task Clean_stop_runs_the_disconnect_once_through_openconnect_only()
    {
        await using var setup = new StandInSetup(new StandInBehavior(), o => o with { VpncScript = RecordingScript(o) });
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await setup.StandIn.WaitForRecordAsync("waiting");

        await tunnel.StopAsync(EventReader.Deadline());

        Assert.Equal(0, await tunnel.Exited);
        Assert.Equal(["pre-init", "connect", "disconnect"], Reasons(setup));
        Assert.False(File.Exists(SavedEnvironmentPath(setup)));
        Assert.DoesNotContain(setup.Logger.Entries, e => e.EventId.Id == 3032);
    }

    [Fact]
    public async Task A_previous_daemons_openconnect_that_died_uncleanly_gets_its_disconnect_at_the_next_start()
    {
        await using var setup = new StandInSetup(new StandInBehavior(), o => o with { VpncScript = RecordingScript(o) });
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        // What a crashed daemon leaves: the pid file of an openconnect that is gone, and the wrapper's record of its connect.
        const int deadPid = 4_000_000;
        await File.WriteAllTextAsync(setup.PidFile, deadPid.ToString(CultureInfo.InvariantCulture) + "\n");
        await File.WriteAllTextAsync(SavedEnvironmentPath(setup), """
            @gptunnel:0ld begin connect
            @gptunnel:0ld set TUNDEV=tun9
            @gptunnel:0ld set VPNPID=4000000
            @gptunnel:0ld set INTERNAL_IP4_DNS=10.99.0.53
            @gptunnel:0ld end connect 0

            """);

        var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.Stale, result.Outcome);
        Assert.Equal(["disconnect"], Reasons(setup));
        var environment = DisconnectEnvironment(setup);
        Assert.Equal("4000000", environment["VPNPID"]);
        Assert.Equal("tun9", environment["TUNDEV"]);
        Assert.Equal("10.99.0.53", environment["INTERNAL_IP4_DNS"]);
        Assert.False(File.Exists(SavedEnvironmentPath(setup)));
        Assert.False(File.Exists(setup.PidFile));
    }

    [Fact]
    public async Task A_running_openconnect_whose_pid_file_is_missing_keeps_its_dns()
    {
        await using var setup = new StandInSetup(new StandInBehavior(), o => o with { VpncScript = RecordingScript(o) });
        var tunnel = await setup.StartAsync();
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await setup.StandIn.WaitForRecordAsync("waiting");
        File.Delete(setup.PidFile);
        var nextDaemon = new OpenConnectSupervisor(setup.Options, new RecordingLogger<OpenConnectSupervisor>());

        var result = await nextDaemon.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.None, result.Outcome);
        Assert.Equal(["pre-init", "connect"], Reasons(setup));
        Assert.True(File.Exists(SavedEnvironmentPath(setup)));
    }

    private static string SavedEnvironmentPath(StandInSetup setup) => Path.Combine(setup.Options.RuntimeDirectory, "vpnc-environment");

    /// <summary>A vpnc-script that records each reason and, for disconnect, its whole environment.</summary>
    private static string RecordingScript(OpenConnectOptions options)
    {
        var directory = Path.GetDirectoryName(options.VpncScript)!;
        var path = Path.Combine(directory, "recording-vpnc-script");
        File.WriteAllText(path, $"""
            #!/bin/sh
            echo "$reason" >> '{Path.Combine(directory, "reasons")}'
            [ "$reason" = disconnect ] && env > '{Path.Combine(directory, "disconnect-env")}'
            exit 0

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string[] Reasons(StandInSetup setup) =>
        File.Exists(setup.Directory.Combine("reasons")) ? File.ReadAllLines(setup.Directory.Combine("reasons")) : [];

    private static Dictionary<string, string> DisconnectEnvironment(StandInSetup setup) =>
        File.ReadAllLines(setup.Directory.Combine("disconnect-env"))
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);
}
