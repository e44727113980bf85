namespace GpDaemon.TestSupport;

/// <summary>
/// The setup most process tests start from: a scratch directory, the fake portal, and a ready gpdaemon on that
/// directory that trusts the fake. Disposing stops the daemon, then the fake, then removes the directory.
/// </summary>
public sealed class VpnScenario : IAsyncDisposable
{
    private VpnScenario(TempDirectory directory, FakePortal fake, DaemonProcess daemon)
    {
        Directory = directory;
        Fake = fake;
        Daemon = daemon;
    }

    public TempDirectory Directory { get; }

    public FakePortal Fake { get; }

    public DaemonProcess Daemon { get; }

    /// <summary>The file the fake writes every cookie and token it issues to, when started with <see cref="VpnScenarioOptions.RecordSecrets"/>.</summary>
    public string SecretsFile => Directory.Combine(SecretsFileName);

    private const string SecretsFileName = "secrets";

    /// <summary>The fake with <paramref name="scenario"/> and <paramref name="portalOptions"/>; the daemon with only its trust in the fake.</summary>
    public static Task<VpnScenario> StartAsync(string scenario = "password", params string[] portalOptions) =>
        StartAsync(new VpnScenarioOptions { Scenario = scenario, PortalOptions = portalOptions });

    public static async Task<VpnScenario> StartAsync(VpnScenarioOptions options)
    {
        var directory = new TempDirectory(options.DirectoryPrefix);
        FakePortal? fake = null;
        try
        {
            string[] portalOptions = options.RecordSecrets
                ? [.. options.PortalOptions, "--secrets-file", directory.Combine(SecretsFileName)]
                : [.. options.PortalOptions];
            fake = await FakePortal.StartAsync(options.Scenario, portalOptions);
            string config = fake.Config(options.Config?.Invoke(fake) ?? "");
            DaemonProcess daemon = await DaemonProcess.StartReadyAsync(directory.Path, config, options.Environment);
            return new VpnScenario(directory, fake, daemon);
        }
        catch
        {
            if (fake is not null)
            {
                await fake.DisposeAsync();
            }
            directory.Dispose();
            throw;
        }
    }

    /// <summary>`gpctl connect` to the fake as its user, the password on stdin (bounded, like every <see cref="Run"/>).</summary>
    public Task<ProcessResult> ConnectAsync() => ConnectAsync(Daemon, Fake);

    /// <summary>`gpctl connect` through <paramref name="daemon"/> to <paramref name="fake"/> as its user, the password on stdin.</summary>
    public static Task<ProcessResult> ConnectAsync(DaemonProcess daemon, FakePortal fake) =>
        Run.GpctlWithInputAsync(daemon.SocketPath, fake.Password + "\n", "connect", fake.Address, "--user", FakePortal.User, "--passwd-on-stdin");

    public void Deconstruct(out TempDirectory directory, out FakePortal fake, out DaemonProcess daemon)
    {
        directory = Directory;
        fake = Fake;
        daemon = Daemon;
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        await Fake.DisposeAsync();
        Directory.Dispose();
    }
}
