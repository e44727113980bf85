using GpDaemon.TestSupport;

namespace Integration.Tests.Connect;

/// <summary>
/// A saved session belongs to the user who made it: another member of the control group connecting to the same
/// portal is asked for a password and never signs in with the first user's cookie; `disconnect --forget` removes it.
/// </summary>
public sealed class SessionOwnerTests
{
    [Fact]
    public async Task A_saved_session_is_used_only_by_the_user_who_made_it()
    {
        await TestUsers.EnsureAsync();
        await using VpnScenario vpn = await VpnScenario.StartAsync(new VpnScenarioOptions
        {
            Scenario = "portal-cookie",
            Config = _ => $"control_group = \"{TestUsers.ControlGroup}\"",
        });
        (_, FakePortal fake, DaemonProcess daemon) = vpn;
        string a = TestUsers.Member, b = TestUsers.OtherMember;

        // A signs in with the password: the portal issues cookie 1, which the daemon saves for A.
        ProcessResult first = await TestUsers.GpctlAsWithInputAsync(a, daemon.SocketPath, fake.Password + "\n",
            "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin");
        Assert.True(first.ExitCode == 0, $"{first}\n{daemon.Output}");
        Assert.Contains("cookie=1 ", (await fake.WaitForEventAsync("portal-config")) + " ");
        Assert.Equal(0, (await TestUsers.GpctlAsAsync(a, daemon.SocketPath, "disconnect")).ExitCode);
        int cookiesSeen = fake.Count("portal-cookie"); // A's gateway login carried A's cookie

        // B, same group, same portal and portal user, no password: asked for one, and no cookie reaches the portal.
        ProcessResult other = await TestUsers.GpctlAsAsync(b, daemon.SocketPath, "connect", fake.Address, "--user", FakePortal.User);
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("Password", other.Stderr);
        Assert.Equal(cookiesSeen, fake.Count("portal-cookie"));
        Assert.Equal(1, fake.Count("gateway-login"));
        await TestUsers.GpctlAsAsync(b, daemon.SocketPath, "disconnect");

        // A again, no password: A's own cookie signs in.
        ProcessResult again = await TestUsers.GpctlAsAsync(a, daemon.SocketPath, "connect", fake.Address, "--user", FakePortal.User);
        Assert.True(again.ExitCode == 0, $"{again}\n{daemon.Output}");
        Assert.Contains(fake.EventsNamed("portal-cookie"), e => e.Contains("where=portal user=test cookie=1", StringComparison.Ordinal));

        // --forget: disconnected, and A's next connect asks for the password again.
        ProcessResult forget = await TestUsers.GpctlAsAsync(a, daemon.SocketPath, "disconnect", "--forget");
        Assert.True(forget.ExitCode == 0, forget.ToString());
        Assert.Contains($"Forgot your saved session for {fake.Address}", forget.Stdout);
        Assert.Equal("Disconnected", (await daemon.StatusAsync()).State);
        cookiesSeen = fake.Count("portal-cookie");
        ProcessResult afterForget = await TestUsers.GpctlAsAsync(a, daemon.SocketPath, "connect", fake.Address, "--user", FakePortal.User);
        Assert.Equal(1, afterForget.ExitCode);
        Assert.Contains("Password", afterForget.Stderr);
        Assert.Equal(cookiesSeen, fake.Count("portal-cookie"));

        // Nothing left to forget, and not connected: still no error.
        ProcessResult nothing = await TestUsers.GpctlAsAsync(a, daemon.SocketPath, "disconnect", "--forget", fake.Address);
        Assert.Equal(0, nothing.ExitCode);
        Assert.Contains("no saved session", nothing.Stdout);
    }
}
