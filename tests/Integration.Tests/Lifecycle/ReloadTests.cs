using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>SIGHUP (systemctl reload) rereads the config without touching a working tunnel.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Reload_KeepsTheTunnel_AndAppliesTheNewSettings()
    {
        using var dir = new TempDirectory();
        await TestUsers.EnsureAsync();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.Equal(0, connect.ExitCode);
        VpnStatus before = await daemon.StatusAsync();

        // Let the control group's members in, and change the client identity (a connection setting).
        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config($"control_group = \"{TestUsers.ControlGroup}\"\n[client]\ncomputer = \"renamed\""));
        Signals.Send(daemon.Pid, 1 /* SIGHUP */);
        await WaitForLogAsync(daemon, "Configuration reloaded");

        VpnStatus after = await daemon.StatusAsync();
        Assert.Equal("Connected", after.State);
        Assert.Equal(before.OpenconnectPid, after.OpenconnectPid);
        Assert.Equal(before.ConnectedSince, after.ConnectedSince);
        Assert.Contains("apply from the next connect", daemon.Output);
        ProcessResult member = await TestUsers.GpctlAsAsync(TestUsers.Member, daemon.SocketPath, "disconnect");
        Assert.True(member.ExitCode == 0, member.ToString());

        // The changed client identity reaches the portal at the next connect.
        Assert.DoesNotContain("computer=renamed", await fake.WaitForEventAsync("portal-config"));
        Assert.Equal(0, (await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin")).ExitCode);
        Assert.Contains("computer=renamed", await fake.WaitForEventAsync("portal-config", occurrence: 2));
    }

    [Fact]
    public async Task LogLevel_AppliesAtOnce()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "password",
            Config = _ => "log_level = \"info\"",
        });
        (TempDirectory dir, FakePortal fake, DaemonProcess daemon) = vpn;
        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        Assert.DoesNotContain("Saved the session", daemon.Output); // a debug line
        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);

        // Quieter: the reload's own "Configuration reloaded" (info) is already below the new level; the warning about an
        // unknown key, logged after the level changed, shows this reload was handled.
        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config("log_level = \"warning\"\nreload_marker = 1"));
        Signals.Send(daemon.Pid, 1);
        await WaitForLogAsync(daemon, "unknown setting 'reload_marker'");
        Assert.DoesNotContain("Configuration reloaded", daemon.Output);
        // Louder: debug lines appear from now on.
        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config("log_level = \"debug\""));
        Signals.Send(daemon.Pid, 1);
        await WaitForLogAsync(daemon, "Configuration reloaded");
        Assert.Single(daemon.Output.Split('\n'), line => line.Contains("Configuration reloaded", StringComparison.Ordinal));

        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        await WaitForLogAsync(daemon, "Saved the session");
    }

    [Fact]
    public async Task ABrokenConfig_IsRefused_AndTheOldSettingsStayInForce()
    {
        using var dir = new TempDirectory();
        await TestUsers.EnsureAsync();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config($"""
            log_level = "debug"
            control_group = "{TestUsers.ControlGroup}"
            portal = "{fake.Address}"
            user = "test"
            """));
        File.WriteAllText(dir.Combine("gpdaemon.toml"), "log_level = = broken\n");
        Signals.Send(daemon.Pid, 1);
        await WaitForLogAsync(daemon, "Configuration not reloaded");
        Assert.False(daemon.HasExited);
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);

        // Had the file's defaults replaced them, the member would be refused (control_group), the connect would name no
        // portal, the servercert pin would be gone, and the debug line would not be logged.
        ProcessResult connect = await Run.ProgramAsync("runuser", ["-u", TestUsers.Member, "--", Binaries.Ctl, "--socket", daemon.SocketPath,
            "connect", "--passwd-on-stdin"], "secret\n", new Dictionary<string, string?> { ["HOME"] = "/tmp" });
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        Assert.Contains(fake.Address, connect.Stdout);
        Assert.Contains("user=test", await fake.WaitForEventAsync("portal-config"));
        await WaitForLogAsync(daemon, "Saved the session");
    }

    [Fact]
    public async Task RoutesAndDnsDomains_FromAReload_ApplyAtTheNextConnect_AndABadNetworkIsRefusedByName()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        (TempDirectory dir, FakePortal fake, DaemonProcess daemon) = vpn;
        Task<ProcessResult> Connect() => vpn.ConnectAsync();
        Assert.Equal(0, (await Connect()).ExitCode);
        Assert.Equal(["10.99.0.0/16"], (await daemon.StatusAsync()).Routes);

        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config("[routes]\ninclude = [\"10.99.7.0/24\"]\nexclude = [\"10.99.7.128/25\"]\n[dns]\nsplit_domains = [\"corp.example\"]"));
        Signals.Send(daemon.Pid, 1 /* SIGHUP */);
        await WaitForLogAsync(daemon, "Configuration reloaded");
        // The working tunnel keeps what it was set up with.
        VpnStatus kept = await daemon.StatusAsync();
        Assert.Equal(["10.99.0.0/16"], kept.Routes);
        Assert.Null(kept.ExcludedRoutes);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        Assert.Equal(0, (await Connect()).ExitCode);
        VpnStatus next = await daemon.StatusAsync();
        Assert.Equal(["10.99.7.0/24"], next.Routes);
        Assert.Equal(["10.99.7.128/25"], next.ExcludedRoutes);
        Assert.Equal(["corp.example"], next.DnsDomains);

        File.WriteAllText(dir.Combine("gpdaemon.toml"), fake.Config("[routes]\ninclude = [\"10.99.7.1/24\"]"));
        Signals.Send(daemon.Pid, 1);
        await WaitForLogAsync(daemon, "routes.include: \"10.99.7.1/24\" is not a network");
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
    }

    private static async Task WaitForLogAsync(DaemonProcess daemon, string text)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never logged:\n{daemon.Output}");
            await Task.Delay(50);
        }
    }
}
