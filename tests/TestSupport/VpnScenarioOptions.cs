namespace GpDaemon.TestSupport;

/// <summary>What a <see cref="VpnScenario"/> starts: the fake's scenario and options, and the daemon's configuration.</summary>
public sealed record VpnScenarioOptions
{
    /// <summary>The fake's --scenario.</summary>
    public string Scenario { get; init; } = "password";

    /// <summary>More options for the fake (--ip, --password, --hip-required...).</summary>
    public IReadOnlyList<string> PortalOptions { get; init; } = [];

    /// <summary>Lines for the daemon's configuration besides the trust in the fake; given the fake, for its address.</summary>
    public Func<FakePortal, string>? Config { get; init; }

    /// <summary>Have the fake record what it issues in <see cref="VpnScenario.SecretsFile"/> (its --secrets-file).</summary>
    public bool RecordSecrets { get; init; }

    /// <summary>Variables to set in the daemon's environment.</summary>
    public IDictionary<string, string?>? Environment { get; init; }

    /// <summary>The scratch directory's name prefix.</summary>
    public string DirectoryPrefix { get; init; } = "gpd-test";
}
