using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>A pending prompt belongs to the user who connected: others cannot read or answer it, even in the group.</summary>
public sealed class PromptPrivacyTests
{
    private static Task<ProcessResult> RawCallAsAsync(string user, string socket, string call) =>
        Run.ProgramAsync("runuser", ["-u", user, "--", "socat", "-t", "5", "-", $"UNIX-CONNECT:{socket}"], call + "\0");

    [Fact]
    public async Task OtherUsers_CannotReadOrAnswerAPrompt()
    {
        await TestUsers.EnsureAsync();
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "portal-mfa",
            Config = _ => $"control_group = \"{TestUsers.ControlGroup}\"",
        });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        await using VpnClient root = await daemon.ClientAsync();
        await foreach (VpnStatus _ in root.ConnectAsync(new ConnectParameters(fake.Address, "test", "secret"), follow: false, Deadline.Token()))
        {
        }
        VpnStatus pending = await daemon.WaitForStatusAsync(s => s.State == "NeedsInput");
        Prompt prompt = pending.Prompt!;

        foreach (string user in (string[])[TestUsers.Outsider, TestUsers.Member])
        {
            ProcessResult status = await RawCallAsAsync(user, daemon.SocketPath, "{\"method\":\"io.gpdaemon.Vpn.GetStatus\"}");
            Assert.Contains("\"state\":\"NeedsInput\"", status.Stdout);
            Assert.DoesNotContain("\"prompt\"", status.Stdout);
            Assert.DoesNotContain(prompt.Id, status.Stdout);

            ProcessResult answer = await RawCallAsAsync(user, daemon.SocketPath,
                $"{{\"method\":\"io.gpdaemon.Vpn.SubmitInput\",\"parameters\":{{\"id\":\"{prompt.Id}\",\"value\":\"123456\"}}}}");
            Assert.Contains("\"error\":\"io.gpdaemon.Vpn.PermissionDenied\"", answer.Stdout);
        }
        Assert.Equal("NeedsInput", (await daemon.StatusAsync()).State);

        // The user who connected (root here) answers it.
        await using VpnClient side = await daemon.ClientAsync();
        await side.SubmitInputAsync(prompt.Id, "123456", Deadline.Token());
        await daemon.WaitForStatusAsync(s => s.State == "Connected");
    }
}
