using System.Text.RegularExpressions;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Connect;

/// <summary>Faults a user meets: a crashing openconnect, a missing one, an untrusted certificate, a state dir that cannot be written.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task OpenconnectCrashingRepeatedly_BacksOffMoreEachTime_AndSaysWhy()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        DaemonProcess daemon = vpn.Daemon;
        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);

        var delays = new List<int>();
        for (int crash = 0; crash < 3; crash++)
        {
            VpnStatus up = await daemon.WaitForStatusAsync(s => s.State == "Connected" && s.OpenconnectPid is not null, TimeSpan.FromSeconds(60));
            Signals.Send(up.OpenconnectPid!.Value, Signals.SIGKILL);
            VpnStatus reconnecting = await daemon.WaitForStatusAsync(s => s.State == "Reconnecting" && s.Message is not null);
            Match m = Regex.Match(reconnecting.Message!, @"retrying in (\d+) s");
            Assert.True(m.Success, reconnecting.Message);
            delays.Add(int.Parse(m.Groups[1].Value));
            Assert.Contains("killed by signal 9", reconnecting.Message); // the reason
        }
        Assert.Equal([1, 2, 4], delays);
        await daemon.WaitForStatusAsync(s => s.State == "Connected", TimeSpan.FromSeconds(60));
        Assert.Single(OpenConnectProcesses.Of(daemon.RuntimeDirectory));
    }

    [Fact]
    public async Task OpenconnectMissing_FailsNamingThePackage()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path,
            fake.Config() + "\npath = \"/nonexistent/openconnect\"\n");
        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 1, connect.ToString());
        Assert.Contains("apt install openconnect", connect.Stderr);
        Assert.Equal("Failed", (await daemon.StatusAsync()).State);
    }

    [Fact]
    public async Task AnUntrustedCertificate_IsRefused_AndTheErrorShowsItsPin()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, "[openconnect]\nscript_tun = true\n");
        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 1, connect.ToString());
        Assert.Contains($"servercert = \"{fake.Pin}\"", connect.Stderr);
        Assert.Equal(0, fake.Count("prelogin"));
    }

    [Fact]
    public async Task AStateDirThatCannotBeWritten_ConnectStillWorks_AndAWarningSaysWhatWasNotSaved()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("state"));
        File.WriteAllText(dir.Combine("state", "sessions"), "not a directory"); // as unwritable as it gets, even for root
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        ProcessResult connect = await VpnScenario.ConnectAsync(daemon, fake);
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        Assert.Contains("Could not save the session", daemon.Output);
    }
}
