using PuppeteerSharp;

namespace Integration.Tests.SingleSignOn;

/// <summary>
/// One headless Debian chromium (/usr/bin/chromium) for a whole test class, driven over DevTools by PuppeteerSharp;
/// nothing is downloaded. A throwaway profile; certificate errors ignored for the fake's self-signed identity provider.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("chromium did not start");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install chromium (scripts/install-deps.sh)");
        }
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable,
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox", // as root, headless chromium runs only without its sandbox
                "--ignore-certificate-errors",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "--disable-extensions",
                "--disable-domain-reliability",
                "--disable-client-side-phishing-detection",
                "--metrics-recording-only",
                "--no-first-run",
                "--no-default-browser-check",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
    }
}
