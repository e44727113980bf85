using GpControl;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.HostileServers;

/// <summary>
/// Broken or hostile portals through a real daemon and gpctl: every attempt ends Failed with a message a user can act
/// on, within the request timeout (the bound below only detects a hang), without the daemon's memory following the
/// server's size, and the same daemon connects to a good portal right afterwards.
/// </summary>
public sealed class HostileServerTests(ITestOutputHelper output)
{
    /// <summary>What the daemon is configured to wait for one request; the endless body must end on it.</summary>
    private const int RequestTimeoutSeconds = 3;

    /// <summary>Only detects a hang: a gpctl connect that never returns.</summary>
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    private sealed class Setup : IAsyncDisposable
    {
        public required TempDirectory Dir { get; init; }
        public required FakePortal Hostile { get; init; }
        public required FakePortal Good { get; init; }
        public required DaemonProcess Daemon { get; init; }

        /// <summary>A hostile fake and a good one behind one certificate, so the daemon's one pin trusts both.</summary>
        public static async Task<Setup> StartAsync(string scenario)
        {
            var dir = new TempDirectory("gpd-hostile");
            string pfx = dir.Combine("portal.pfx");
            string pin = SharedCertificate.Write(pfx);
            FakePortal hostile = await FakePortal.StartAsync(scenario, "--cert", pfx);
            FakePortal good = await FakePortal.StartAsync("password", "--cert", pfx);
            DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, $"""
                servercert = "{pin}"

                [client]
                request_timeout = {RequestTimeoutSeconds}

                [openconnect]
                script_tun = true
                """);
            return new Setup { Dir = dir, Hostile = hostile, Good = good, Daemon = daemon };
        }

        public Task<ProcessResult> ConnectAsync(FakePortal portal) =>
            Run.ProgramAsync(Binaries.Ctl, ["--socket", Daemon.SocketPath, "connect", portal.Address, "--user", "test", "--passwd-on-stdin"],
                "secret\n", timeout: HangAfter);

        public async ValueTask DisposeAsync()
        {
            await Daemon.DisposeAsync();
            await Hostile.DisposeAsync();
            await Good.DisposeAsync();
            Dir.Dispose();
        }
    }

    [Theory]
    [InlineData("huge-body", "portal prelogin")]
    [InlineData("endless", "did not answer within 3 s")] // request_timeout = RequestTimeoutSeconds
    [InlineData("redirect-loop", "302")]
    [InlineData("wrong-cert", "servercert")]
    [InlineData("http500", "500")]
    public async Task ABrokenOrHostilePortal_EndsFailedWithAClearMessage_AndTheDaemonTakesTheNextConnect(string scenario, string expected)
    {
        await using Setup setup = await Setup.StartAsync(scenario);

        // Warm the daemon up with one good connection, so that its memory baseline includes a whole login and tunnel.
        await AssertConnectsAsync(setup);
        long rssWarm = ProcInfo.RssKiB(setup.Daemon.Pid);

        ProcessResult result = await setup.ConnectAsync(setup.Hostile);
        Assert.True(result.ExitCode == 1, $"{result}\n{setup.Daemon.Output}");
        Assert.Contains(expected, result.Stderr);
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Failed", status.State);
        Assert.Equal(setup.Hostile.Address, status.Portal);
        Assert.Contains(expected, status.Message);
        Assert.Null(status.OpenconnectPid);
        Assert.Empty(OpenConnectProcesses.Of(setup.Daemon.RuntimeDirectory));

        long rssAfter = ProcInfo.RssKiB(setup.Daemon.Pid);
        output.WriteLine($"{scenario}: \"{status.Message}\"; daemon RSS {rssWarm} KiB after a good connection, {rssAfter} KiB after this one");
        Assert.True(rssAfter < 2 * rssWarm + 32 * 1024, $"RSS grew from {rssWarm} KiB to {rssAfter} KiB");

        await AssertWhatTheServerSawAsync(scenario, setup.Hostile);

        // Ready for the next one, against a good portal.
        await AssertConnectsAsync(setup);
    }

    [Fact]
    public async Task AnOversizedResponse_IsReportedAsTooLarge_NotAsAnUnreachablePortal()
    {
        await using Setup setup = await Setup.StartAsync("huge-body");
        ProcessResult result = await setup.ConnectAsync(setup.Hostile);
        Assert.True(result.ExitCode == 1, result.ToString());
        VpnStatus status = await setup.Daemon.StatusAsync();
        // The portal was reached; it sent too much. Saying otherwise sends the user to check the network.
        Assert.DoesNotContain("cannot reach", status.Message);
        Assert.DoesNotContain("buffer", status.Message);
        Assert.Matches("(?i)too (large|big|long)|larger than|exceed", status.Message);
    }

    [Fact]
    public async Task ADeeplyNestedResponse_EndsFailed_AndTheDaemonStaysUp()
    {
        await using Setup setup = await Setup.StartAsync("deep-xml");
        ProcessResult result = await setup.ConnectAsync(setup.Hostile);
        Assert.False(setup.Daemon.HasExited, "gpdaemon died:\n" + setup.Daemon.Output[Math.Max(0, setup.Daemon.Output.Length - 3000)..]);
        Assert.True(result.ExitCode == 1, result.ToString());
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Failed", status.State);
        Assert.Contains("portal prelogin", status.Message);
        await AssertConnectsAsync(setup);
    }

    private static async Task AssertWhatTheServerSawAsync(string scenario, FakePortal hostile)
    {
        switch (scenario)
        {
            case "huge-body":
                // The daemon stopped reading: it never took in the whole 64 MiB.
                Assert.Contains("complete=no", await hostile.WaitForEventAsync("body-ended"));
                break;
            case "endless":
                // The daemon hung up on the trickle instead of keeping the connection forever.
                Assert.Contains("complete=no", await hostile.WaitForEventAsync("body-ended"));
                break;
            case "redirect-loop":
                // However a client treats redirects, it must not follow a loop for long.
                Assert.InRange(hostile.Count("redirect"), 1, 10);
                break;
            case "wrong-cert":
                // Not one request went to the impostor: the TLS handshake was the end of it, so no password was sent.
                Assert.Equal(0, hostile.Count("prelogin") + hostile.Count("portal-config") + hostile.Count("login-failed") + hostile.Count("gateway-login"));
                break;
        }
    }

    private static async Task AssertConnectsAsync(Setup setup)
    {
        ProcessResult connect = await setup.ConnectAsync(setup.Good);
        Assert.True(connect.ExitCode == 0, $"{connect}\n{setup.Daemon.Output}");
        VpnStatus status = await setup.Daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal(setup.Good.Address, status.Portal);
        ProcessResult disconnect = await Run.GpctlAsync(setup.Daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
        Assert.Empty(OpenConnectProcesses.Of(setup.Daemon.RuntimeDirectory));
    }
}
