using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Connect;

/// <summary>
/// The portal's cookie saved after a login signs in again without a password, also after the daemon restarts. One
/// user (root) makes and reuses the session, as a saved session belongs to the user who made it.
/// </summary>
public sealed class SavedSessionTests
{
    /// <summary>A daemon on <paramref name="dir"/> logs in once with the password (saving the session), then stops.</summary>
    internal static async Task LogInWithThePasswordAndStopAsync(TempDirectory dir, FakePortal fake)
    {
        await using DaemonProcess first = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        ProcessResult login = await Run.GpctlWithInputAsync(first.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(login.ExitCode == 0, login + first.Output);
        Assert.Equal(0, await first.TerminateAsync());
    }

    [Fact]
    public async Task AfterARestart_ConnectWithNoPassword_SignsInWithTheSavedPortalCookie()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("portal-cookie");
        await LogInWithThePasswordAndStopAsync(dir, fake);
        Assert.Contains("auth=password password=yes", await fake.WaitForEventAsync("portal-config"));

        await using DaemonProcess second = await DaemonProcess.StartReadyAsync(dir.Path);
        // No password and no terminal: gpctl could not answer a prompt, so only the cookie can sign in.
        ProcessResult again = await Run.GpctlAsync(second.SocketPath, "connect", fake.Address);
        Assert.True(again.ExitCode == 0, again + second.Output);
        VpnStatus status = await second.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal("test", status.User); // the user came from the saved session too

        string relogin = await fake.WaitForEventAsync("portal-config", occurrence: 2);
        Assert.Contains("user=test", relogin);
        Assert.Contains("auth=portal-cookie password=no", relogin);
        Assert.Contains("auth=portal-cookie", await fake.WaitForEventAsync("gateway-login", occurrence: 2));
        Assert.Equal(0, fake.Count("login-failed"));
    }
}
