using System.Text.Json;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>`gpctl status` in every spelling scripts use: the same status the client library reads, and the same exit codes.</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task StatusJson_IsTheDaemonsStatus_InEverySpellingOfTheSocketOption()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "password",
            Config = _ => "[dns]\nsplit_domains = [\"corp.example\"]",
        });
        DaemonProcess daemon = vpn.Daemon;
        ProcessResult connect = await vpn.ConnectAsync();
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        VpnStatus expected = await daemon.StatusAsync();

        foreach (string[] args in new[]
        {
            new[] { "--socket", daemon.SocketPath, "status", "--json" },
            ["status", "--json", "--socket", daemon.SocketPath],
            ["status", $"--socket={daemon.SocketPath}", "--json"],
        })
        {
            ProcessResult result = await Run.ProgramAsync(Binaries.Ctl, args);
            Assert.True(result.ExitCode == 0, result.ToString());
            VpnStatus printed = JsonSerializer.Deserialize(result.Stdout, ControlJsonContext.Default.VpnStatus)!;
            Assert.Equal(JsonSerializer.Serialize(expected, ControlJsonContext.Default.VpnStatus), result.Stdout.TrimEnd('\n'));
            Assert.Equal("Connected", printed.State);
        }

        ProcessResult human = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("State:       Connected", human.Stdout);
        Assert.Contains("Gateway:     Fake Gateway", human.Stdout);
        // The configured split-DNS domain is among the tunnel's domains.
        Assert.Equal(["corp.example"], expected.DnsDomains);
        Assert.Contains("Domains:     corp.example", human.Stdout);

        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        ProcessResult disconnected = await Run.GpctlAsync(daemon.SocketPath, "status");
        Assert.Equal(1, disconnected.ExitCode);
        Assert.Contains("State:       Disconnected", disconnected.Stdout);
    }

    [Fact]
    public async Task StatusWithoutADaemon_SaysHowToStartIt_Exit3()
    {
        using var dir = new TempDirectory();
        ProcessResult result = await Run.GpctlAsync(dir.Combine("nothing.sock"), "status", "--json");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("systemctl start gpdaemon", result.Stderr);
    }
}
