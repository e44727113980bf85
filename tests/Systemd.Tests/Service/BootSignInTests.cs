using System.Text.Json;
using System.Text.RegularExpressions;
using GpControl;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// Autoconnect at boot to a single sign-on portal: the service waits in NeedsInput and says so in `systemctl status`,
/// and `gpctl connect` joins the waiting attempt and completes it with the browser's result.
/// </summary>
public sealed partial class BootSignInTests(BootSignInContainerFixture fixture) : IClassFixture<BootSignInContainerFixture>
{
    private const string Unit = StagedInstall.Unit;

    [Fact]
    public async Task TheServiceWaitsForASignIn_AndGpctlConnectCompletesIt()
    {
        SystemdContainer container = fixture.Container;
        FakePortal fake = fixture.Fake;
        await Poll.UntilAsync(() => container.ShowAsync(Unit, "StatusText"),
            text => text == "Waiting for sign-in: run gpctl connect", "the service to wait for a sign-in");
        ProcessResult json = await container.ExecAsync(StagedInstall.Ctl, "status", "--json");
        VpnStatus waiting = JsonSerializer.Deserialize(json.Stdout, ControlJsonContext.Default.VpnStatus) ?? throw new InvalidOperationException(json.Stdout);
        Assert.Equal("NeedsInput", waiting.State);
        Assert.Equal("browser", waiting.Prompt?.Kind);

        string callback = await SignInAsync(fake, waiting.Prompt!.Url!);
        ProcessResult connect = await container.ExecAsync([StagedInstall.Ctl, "connect", "--passwd-on-stdin"], stdin: callback + "\n",
            timeout: TimeSpan.FromSeconds(60));

        Assert.True(connect.ExitCode == 0, connect + await container.DescribeAsync(Unit));
        Assert.Contains("Joining the connection", connect.Stdout, StringComparison.Ordinal);
        await Poll.UntilAsync(() => container.ShowAsync(Unit, "StatusText"),
            text => text.StartsWith($"Connected to {fake.Address}", StringComparison.Ordinal), "the service to report Connected");
    }

    /// <summary>The identity provider's form, filled over HTTPS (the browser end to end is in Integration.Tests).</summary>
    private static async Task<string> SignInAsync(FakePortal fake, string url)
    {
        using var http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && "pin-sha256:" + Convert.ToBase64String(
                    System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())) == fake.Pin,
        })
        {
            Timeout = TimeSpan.FromSeconds(20),
        };
        using HttpResponseMessage page = await http.PostAsync(url.Split('?')[0],
            new FormUrlEncodedContent([new("username", FakePortal.User), new("password", fake.Password)]));
        return Callback().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
    }

    [GeneratedRegex("window.location.href = \"(globalprotectcallback:[^\"]+)\"")]
    private static partial Regex Callback();
}
