using System.Diagnostics;
using System.Globalization;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.Supervisor;

public sealed class LeftoverTests
{
    [Fact]
    public async Task Nothing_recorded_means_nothing_to_do()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());
        Assert.Equal(LeftoverOutcome.None, result.Outcome);
    }

    [Fact]
    public async Task Openconnect_left_by_a_previous_daemon_is_stopped()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        // The "previous daemon": started the tunnel and vanished without stopping it.
        var tunnel = await setup.StartAsync();
        await setup.StandIn.WaitForRecordAsync("waiting");
        var nextDaemon = new OpenConnectSupervisor(setup.Options, new RecordingLogger<OpenConnectSupervisor>());

        var result = await nextDaemon.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.Stopped, result.Outcome);
        Assert.Equal(tunnel.ProcessId, result.ProcessId);
        Assert.Equal(0, await tunnel.Exited);
        Assert.Equal(1, setup.StandIn.SignalCount("TERM"));
        Assert.False(File.Exists(setup.PidFile));
    }

    [Fact]
    public async Task Leftover_that_ignores_sigterm_is_killed()
    {
        await using var setup = new StandInSetup(new StandInBehavior { IgnoreTerm = true },
            o => o with { StopTimeout = TimeSpan.FromMilliseconds(500) });
        var tunnel = await setup.StartAsync();
        await setup.StandIn.WaitForRecordAsync("waiting");
        var nextDaemon = new OpenConnectSupervisor(setup.Options, new RecordingLogger<OpenConnectSupervisor>());

        var result = await nextDaemon.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.Killed, result.Outcome);
        Assert.Equal(137, await tunnel.Exited);
        Assert.Equal(1, setup.StandIn.SignalCount("TERM"));
    }

    [Fact]
    public async Task Unrelated_process_whose_pid_is_in_the_file_is_left_alone()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "120") { RedirectStandardOutput = true })!;
        try
        {
            await File.WriteAllTextAsync(setup.PidFile, unrelated.Id.ToString(CultureInfo.InvariantCulture) + "\n");

            var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());

            Assert.Equal(LeftoverOutcome.NotOurs, result.Outcome);
            Assert.False(unrelated.HasExited);
            Assert.False(File.Exists(setup.PidFile));
        }
        finally
        {
            unrelated.Kill();
        }
    }

    [Fact]
    public async Task Openconnect_of_another_runtime_directory_is_left_alone()
    {
        await using var other = new StandInSetup(new StandInBehavior());
        var tunnel = await other.StartAsync();
        await other.StandIn.WaitForRecordAsync("waiting");
        await using var setup = new StandInSetup(new StandInBehavior(), o => o with { Path = other.Options.Path });
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        File.Copy(other.PidFile, setup.PidFile);

        var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.NotOurs, result.Outcome);
        Assert.False(tunnel.Exited.IsCompleted);
    }

    [Theory]
    [InlineData("not a pid\n")]
    [InlineData("")]
    [InlineData("-5\n")]
    public async Task Garbage_in_the_pid_file_is_removed(string content)
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        await File.WriteAllTextAsync(setup.PidFile, content);

        var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.Stale, result.Outcome);
        Assert.False(File.Exists(setup.PidFile));
    }

    [Fact]
    public async Task Pid_of_an_exited_process_is_stale()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        await File.WriteAllTextAsync(setup.PidFile, gone.Id.ToString(CultureInfo.InvariantCulture) + "\n");

        var result = await setup.Supervisor.StopLeftoverAsync(EventReader.Deadline());

        Assert.Equal(LeftoverOutcome.Stale, result.Outcome);
    }
}
