namespace GpTunnel.Tests.Support;

/// <summary>A supervisor wired to a stand-in openconnect in a private temporary directory.</summary>
internal sealed class StandInSetup : IAsyncDisposable
{
    public const string Cookie =
        "authcookie=5ecret0c00kie5ecret0c00kie1234&portal=gp-portal&user=alice&domain=%28empty_domain%29&computer=laptop";

    public const string AuthCookieValue = "5ecret0c00kie5ecret0c00kie1234";

    private readonly List<OpenConnectTunnel> _tunnels = [];

    public StandInSetup(StandInBehavior behavior, Func<OpenConnectOptions, OpenConnectOptions>? configure = null)
    {
        Directory = new TempDirectory();
        StandIn = StandInOpenConnect.Write(Directory.Path, behavior);
        VpncScript = Directory.Combine("vpnc-script");
        File.WriteAllText(VpncScript, $"#!/bin/sh\necho \"$reason\" >> '{Directory.Combine("vpnc-reasons")}'\n");
        File.SetUnixFileMode(VpncScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new OpenConnectOptions
        {
            Path = StandIn.Path,
            VpncScript = VpncScript,
            RuntimeDirectory = Directory.Combine("run"),
            StopTimeout = TimeSpan.FromSeconds(20),
        };
        Options = configure is null ? options : configure(options);
        Supervisor = new OpenConnectSupervisor(Options, Logger);
    }

    public TempDirectory Directory { get; }

    public StandInOpenConnect StandIn { get; }

    public string VpncScript { get; }

    public OpenConnectOptions Options { get; }

    public RecordingLogger<OpenConnectSupervisor> Logger { get; } = new();

    public OpenConnectSupervisor Supervisor { get; }

    public string PidFile => Path.Combine(Options.RuntimeDirectory, "openconnect.pid");

    public IReadOnlyList<string> VpncReasons =>
        File.Exists(Directory.Combine("vpnc-reasons")) ? File.ReadAllLines(Directory.Combine("vpnc-reasons")) : [];

    public async Task<OpenConnectTunnel> StartAsync(string gateway = "gw.example.com:443")
    {
        var tunnel = await Supervisor.StartAsync(
            new TunnelStartInfo(gateway, Cookie, "pin-sha256:AAAA", null), EventReader.Deadline());
        _tunnels.Add(tunnel);
        return tunnel;
    }

    public async ValueTask DisposeAsync()
    {
        StandIn.KillSleeper();
        foreach (var tunnel in _tunnels)
        {
            using var timeout = new CancellationTokenSource(EventReader.Patience);
            await tunnel.DisposeAsync();
        }
        Directory.Dispose();
    }
}
