using GpControl;
using GpDaemon.TestSupport;
using PuppeteerSharp;

namespace Integration.Tests.SingleSignOn;

/// <summary>
/// End to end with a real browser: gpctl connect (as a desktop user, BROWSER a launcher for chromium) -> gpdaemon ->
/// SAML prelogin -> chromium signs in at the identity provider as a user would -> the globalprotectcallback:
/// navigation goes to the command of the installed desktop entry -> the real openconnect tunnel is up.
/// </summary>
[Collection(NetworkDevicesCollection.Name)]
public sealed class BrowserSignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheDesktopEntry_IsValid_AndRegisteredForTheScheme()
    {
        using InstalledHandler handler = await InstalledHandler.InstallAsync();

        ProcessResult validate = await Run.ProgramAsync("desktop-file-validate", [handler.DesktopFile]);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        ProcessResult query = await Run.ProgramAsync("xdg-mime", ["query", "default", "x-scheme-handler/globalprotectcallback"],
            environment: new Dictionary<string, string?> { ["XDG_DATA_HOME"] = handler.DataHome, ["XDG_DATA_DIRS"] = "/nonexistent" });
        Assert.Equal("gpdaemon-callback.desktop", query.Stdout.Trim());
    }

    [Theory]
    [InlineData("saml")]
    [InlineData("saml-post")]
    public async Task Connect_OpensTheBrowser_TheUserSignsIn_TheDesktopHandlerCompletesIt(string scenario)
    {
        await TestUsers.EnsureAsync();
        using var dir = new TempDirectory();
        using InstalledHandler handler = await InstalledHandler.InstallAsync();
        await using FakePortal fake = await FakePortal.StartAsync(scenario);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path,
            fake.Config($"control_group = \"{TestUsers.ControlGroup}\""));

        // BROWSER: a launcher that hands what gpctl opens to this test, which opens it in chromium.
        string opened = dir.Combine("opened");
        Directory.CreateDirectory(opened);
        File.SetUnixFileMode(opened, (UnixFileMode)0x3ff /* 1777 without sticky: 0777 */);
        string launcher = dir.Combine("browser");
        File.WriteAllText(launcher, $"#!/bin/sh\nprintf '%s\\n' \"$1\" > {opened}/url.tmp && mv {opened}/url.tmp {opened}/url\n");
        File.SetUnixFileMode(launcher, (UnixFileMode)0x1ed);

        await using InteractiveGpctl gpctl = InteractiveGpctl.Start(daemon.SocketPath,
            new Dictionary<string, string?> { ["BROWSER"] = launcher }, TestUsers.Member, "connect", fake.Address, "--user", "test");
        string url = (await Poll.UntilAsync(
            () => Task.FromResult(File.Exists(Path.Combine(opened, "url")) ? File.ReadAllText(Path.Combine(opened, "url")).Trim() : ""),
            u => u.Length > 0, "the browser launcher to be called", timeout: Step)).Trim();
        await gpctl.WaitForOutputAsync("Opened in your browser");
        Assert.Equal("NeedsInput", (await daemon.StatusAsync()).State);
        if (scenario == "saml-post")
        {
            // The POST form goes through a local page: the user's own, 0600.
            Assert.StartsWith("file:///", url);
            string page = new Uri(url).LocalPath;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(page));
            Assert.Equal(TestUsers.Member, (await Run.ProgramAsync("stat", ["-c", "%U", page])).Stdout.Trim());
        }
        else
        {
            Assert.StartsWith($"https://{fake.Address}/fake-idp/login", url);
        }

        string callback = await SignInAsync(url);

        ProcessResult handled = await handler.OpenAsync(callback, TestUsers.Member, daemon.SocketPath);
        Assert.True(handled.ExitCode == 0, handled + daemon.Output);
        Assert.True(await gpctl.WaitForExitAsync() == 0, gpctl + daemon.Output);
        Assert.Contains($"Connected to {fake.Address}", gpctl.Stdout);
        VpnStatus status = await daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Equal("10.99.0.2", status.Ipv4);
        await fake.WaitForEventAsync("tunnel-connect");
        if (scenario == "saml-post")
        {
            Assert.False(File.Exists(new Uri(url).LocalPath), "the sign-in page is removed once gpctl is done");
        }
    }

    /// <summary>
    /// Opens <paramref name="url"/>, types a wrong password first (the form comes back with an error), then the
    /// right one, and returns the globalprotectcallback: link the final page sends the browser to.
    /// </summary>
    private async Task<string> SignInAsync(string url)
    {
        await using IBrowserContext context = await chromium.Browser.CreateBrowserContextAsync();
        await using IPage page = await context.NewPageAsync();
        page.DefaultTimeout = (int)Step.TotalMilliseconds;
        page.DefaultNavigationTimeout = (int)Step.TotalMilliseconds;
        var callback = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Request += (_, e) =>
        {
            if (e.Request.Url.StartsWith("globalprotectcallback:", StringComparison.OrdinalIgnoreCase))
            {
                callback.TrySetResult(e.Request.Url);
            }
        };

        await page.GoToAsync(url);
        await page.WaitForSelectorAsync("input[name=username]");
        await page.TypeAsync("input[name=username]", "test");
        await page.TypeAsync("input[name=password]", "not-the-password");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.Keyboard.PressAsync("Enter"));
        await page.WaitForSelectorAsync("#error");

        await page.TypeAsync("input[name=username]", "test");
        await page.TypeAsync("input[name=password]", "secret");
        await page.ClickAsync("#sign-in");
        return await callback.Task.WaitAsync(Step);
    }
}
