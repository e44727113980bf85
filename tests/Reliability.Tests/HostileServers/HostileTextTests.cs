using GpControl;
using GpDaemon.TestSupport;
using GpText;

namespace Reliability.Tests.HostileServers;

/// <summary>
/// Text from a portal is untrusted: ESC sequences, the 8-bit CSI, bidi overrides and line breaks in its labels,
/// challenge, gateway description and a 3 MiB refusal reach neither a terminal nor the log raw, and `gpctl status`
/// keeps working for every user.
/// </summary>
public sealed class HostileTextTests
{
    private static readonly char[] Forbidden = ['\u001b', '\u009b', '\u202e', '\u202c', '\r'];

    [Fact]
    public async Task Hostile_portal_text_is_shown_and_logged_safe_and_bounded()
    {
        await TestUsers.EnsureAsync();
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "hostile-text",
            Config = _ => $"control_group = \"{TestUsers.ControlGroup}\"",
        });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using VpnClient client = await daemon.ClientAsync();
        var prompts = new List<string>();
        string? failure = null;
        try
        {
            await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters(fake.Address, FakePortal.User), follow: true, deadline.Token))
            {
                if (status is not { State: "NeedsInput", Prompt: { } prompt })
                {
                    continue;
                }
                prompts.Add(prompt.Message);
                // What every terminal shows while the prompt is pending.
                await AssertStatusIsSafeForEveryUserAsync(daemon);
                await using VpnClient side = await daemon.ClientAsync();
                bool challenge = prompt.Message.Contains("Enter the code", StringComparison.Ordinal);
                await side.SubmitInputAsync(prompt.Id, challenge ? "123456" : fake.Password, deadline.Token);
            }
        }
        catch (VarlinkErrorException e) when (e.Error == VpnInterface.AuthenticationFailed)
        {
            failure = e.ParametersAs(ControlJsonContext.Default.MessageError)?.Message;
        }

        // The password label and the challenge, as the portal wrote them but made safe (the gateway that refuses the
        // login asks for the password once more).
        Assert.All(prompts, p => Assert.True(UntrustedText.IsClean(p), p));
        Assert.StartsWith("Password\\x9B2J\\u202Eevil\\u202C INJECTED", prompts[0]);
        Assert.Contains(prompts, p => p.Contains("\\x1B[2J\\x1B[HEnter the code INJECTED", StringComparison.Ordinal));

        // The 3 MiB refusal: bounded, with an ellipsis, in the error and in the status.
        Assert.NotNull(failure);
        Assert.True(failure.Length <= 4 * UntrustedText.MaxLength, $"{failure.Length} characters");
        Assert.EndsWith("\u2026", failure);
        Assert.True(UntrustedText.IsClean(failure), failure);
        VpnStatus failed = await daemon.StatusAsync();
        Assert.Equal("Failed", failed.State);
        Assert.True(UntrustedText.IsClean(failed.Gateway!.Name), failed.Gateway.Name);
        Assert.Contains("INJECTED", failed.Gateway.Name);
        await AssertStatusIsSafeForEveryUserAsync(daemon);

        // gpctl's own error line is one safe line too.
        ProcessResult again = await Run.GpctlWithInputAsync(daemon.SocketPath, fake.Password + "\n123456\n" + fake.Password + "\n",
            "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin");
        Assert.Equal(5, again.ExitCode);
        Assert.DoesNotContain(again.Stderr, c => Forbidden.Contains(c));
        Assert.DoesNotContain(again.Stderr.Split('\n'), line => line.StartsWith("INJECTED", StringComparison.Ordinal));

        // The log: no escape reached stderr, and no portal text started a line of its own.
        string log = daemon.Output;
        Assert.Contains("INJECTED", log);
        Assert.DoesNotContain(log, c => Forbidden.Contains(c));
        Assert.DoesNotContain(log.Split('\n'), line => line.StartsWith("INJECTED", StringComparison.Ordinal));
    }

    private static async Task AssertStatusIsSafeForEveryUserAsync(DaemonProcess daemon)
    {
        foreach (string? user in (string?[])[null, TestUsers.Member, TestUsers.Outsider])
        {
            foreach (string[] args in (string[][])[["status"], ["status", "--json"]])
            {
                ProcessResult result = user is null
                    ? await Run.GpctlAsync(daemon.SocketPath, args)
                    : await TestUsers.GpctlAsAsync(user, daemon.SocketPath, args);
                Assert.True(result.ExitCode == 1 && result.Stderr.Length == 0, $"{user ?? "root"} {string.Join(' ', args)}: {result}");
                Assert.DoesNotContain(result.Stdout, c => Forbidden.Contains(c) || (char.IsControl(c) && c != '\n'));
                Assert.DoesNotContain(result.Stdout.Split('\n'), line => line.StartsWith("INJECTED", StringComparison.Ordinal));
                Assert.True(result.Stdout.Length < 16 * 1024, $"{result.Stdout.Length} bytes of status");
            }
        }
    }
}
