using System.Text.Json;
using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>gpctl as a user runs it: watch, its exit codes, $GPDAEMON_SOCKET, the config's portal, progress, and prompts at a real terminal.</summary>
public sealed class GpctlTests
{
    [Fact]
    public async Task Watch_PrintsEveryStateChange_AndJsonGivesOneObjectPerLine()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync("password");
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        await using RunningProgram watch = RunningProgram.Start(Binaries.Ctl, ["--socket", daemon.SocketPath, "watch"]);
        await using RunningProgram json = RunningProgram.Start(Binaries.Ctl, ["--socket", daemon.SocketPath, "watch", "--json"]);
        // Both print the current state first: from then on they are following.
        await watch.WaitForOutputAsync("Disconnected");
        await json.WaitForOutputAsync("\"Disconnected\"");

        Assert.Equal(0, (await vpn.ConnectAsync()).ExitCode);
        Assert.Equal(0, (await Run.GpctlAsync(daemon.SocketPath, "disconnect")).ExitCode);
        await watch.WaitForOutputAsync(text => text.Split('\n').Count(l => l.EndsWith("Disconnected", StringComparison.Ordinal)) >= 2, "Disconnected again");
        await json.WaitForOutputAsync(text => text.Split('\n').Count(l => l.Contains("\"Disconnected\"", StringComparison.Ordinal)) >= 2, "Disconnected again");

        string[] human = watch.StdoutLines;
        string Find(string text) => human.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"no '{text}' in:\n{watch.Stdout}");
        // "HH:mm:ss summary", in the order the daemon went through them.
        Assert.Matches(@"^\d\d:\d\d:\d\d Disconnected$", human[0]);
        string[] order = [$"Authenticating to {fake.Address}", $"Connecting to {fake.Address} via Fake Gateway",
            $"Connected to {fake.Address} via Fake Gateway, 10.99.0.2", $"Disconnecting from {fake.Address}"];
        int[] positions = [.. order.Select(text => Array.IndexOf(human, Find(text)))];
        Assert.Equal(positions.Order(), positions);
        Assert.EndsWith("Disconnected", human[^1]);

        string[] states = [.. json.StdoutLines.Select(line =>
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("state").GetString()!;
        })];
        Assert.Equal("Disconnected", states[0]);
        Assert.Equal(["Authenticating", "Connecting", "Connected", "Disconnecting", "Disconnected"],
            states.Skip(1).Where((s, i) => i == 0 || s != states[i]).Where(s => s != "NeedsInput"));
        string connected = json.StdoutLines.First(l => l.Contains("\"Connected\"", StringComparison.Ordinal));
        using JsonDocument status = JsonDocument.Parse(connected);
        Assert.Equal("10.99.0.2", status.RootElement.GetProperty("ipv4").GetString());
        Assert.Equal(fake.Address, status.RootElement.GetProperty("portal").GetString());
    }

    [Fact]
    public async Task NoDaemon_Exit3_SaysHowToStartIt()
    {
        using var dir = new TempDirectory();
        string socket = dir.Combine("gpdaemon.sock");
        foreach (string[] command in new[] { new[] { "status" }, ["disconnect"], ["watch"], ["connect", "vpn.example.com", "--no-wait"] })
        {
            ProcessResult result = await Run.GpctlAsync(socket, command);
            Assert.True(result.ExitCode == 3, $"{string.Join(' ', command)}: {result}");
            Assert.Contains(socket, result.Stderr);
            Assert.Contains("Start it with: sudo systemctl start gpdaemon", result.Stderr);
        }
    }

    [Fact]
    public async Task TheSocketComesFromGpdaemonSocket_AndSocketOverridesIt()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path);
        var environment = new Dictionary<string, string?> { ["GPDAEMON_SOCKET"] = daemon.SocketPath };
        ProcessResult status = await Run.ProgramAsync(Binaries.Ctl, ["status", "--json"], environment: environment);
        Assert.True(status.ExitCode == 1, status.ToString()); // answered: not connected
        Assert.Contains($"\"daemon_pid\":{daemon.Pid}", status.Stdout.Replace(" ", ""));

        string elsewhere = dir.Combine("nothing-here.sock");
        ProcessResult overridden = await Run.ProgramAsync(Binaries.Ctl, ["--socket", elsewhere, "status"], environment: environment);
        Assert.True(overridden.ExitCode == 3, overridden.ToString());
        Assert.Contains(elsewhere, overridden.Stderr);

        ProcessResult wrongEnvironment = await Run.ProgramAsync(Binaries.Ctl, ["status"],
            environment: new Dictionary<string, string?> { ["GPDAEMON_SOCKET"] = elsewhere });
        Assert.True(wrongEnvironment.ExitCode == 3, wrongEnvironment.ToString());
        Assert.Contains(elsewhere, wrongEnvironment.Stderr);
    }

    [Fact]
    public async Task ConnectWithoutAPortal_UsesTheConfigsPortalAndUser_AndShowsItsProgress()
    {
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions { Scenario = "password", Config = fake => $"""
            portal = "{fake.Address}"
            user = "test"
            """ });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + daemon.Output);
        Assert.Contains("user=test", await fake.WaitForEventAsync("portal-config"));

        // One line per step, in order: portal, sign-in, the gateway chosen, the tunnel up with its address.
        string[] lines = connect.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] steps = [$"Authenticating to {fake.Address}", $"Contacting portal {fake.Address}", $"Signing in to portal {fake.Address}",
            "Chose gateway Fake Gateway", "Signing in to gateway Fake Gateway", "Signed in to gateway Fake Gateway", $"Connecting to {fake.Address} via Fake Gateway",
            $"Connected to {fake.Address} via Fake Gateway, 10.99.0.2"];
        int[] positions = [.. steps.Select(step => Array.FindIndex(lines, l => l.StartsWith(step, StringComparison.Ordinal)))];
        Assert.True(positions.All(p => p >= 0), connect.Stdout);
        Assert.EndsWith(" as test", lines[positions[5]]);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal($"Connected to {fake.Address} via Fake Gateway, 10.99.0.2", lines[^1]);
        Assert.Equal(lines.Length, lines.Distinct().Count()); // each step once, however often the daemon republishes it
    }

    [Fact]
    public async Task AtATerminal_ThePasswordAndTheCodeAreAskedWithoutEcho()
    {
        const string password = "Typed-Pw-4k9z";
        const string code = "735102";
        await using VpnScenario vpn = await VpnScenario.StartAsync("portal-mfa", "--password", password, "--otp", code);
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        // script(1) runs gpctl on a new pseudo-terminal: what we type goes in as keystrokes, and everything the terminal
        // shows (echo included) comes out.
        string command = $"'{Binaries.Ctl}' --socket '{daemon.SocketPath}' connect '{fake.Address}' --user test";
        await using RunningProgram terminal = RunningProgram.Start("script", ["--quiet", "--return", "--command", command, "/dev/null"],
            new Dictionary<string, string?> { ["TERM"] = "dumb" });

        await terminal.WaitForOutputAsync("Password: ");
        await terminal.TypeAsync(password + "\r");
        await terminal.WaitForOutputAsync("Enter the code from your authenticator: ");
        await terminal.TypeAsync(code + "\r");
        int exit = await terminal.WaitForExitAsync();

        Assert.True(exit == 0, terminal.Stdout + terminal.Stderr + daemon.Output);
        Assert.Contains($"Connected to {fake.Address} via Fake Gateway", terminal.Stdout);
        Assert.DoesNotContain(password, terminal.Stdout);
        Assert.DoesNotContain(code, terminal.Stdout);
        Assert.Equal("Connected", (await daemon.StatusAsync()).State);
    }
}
