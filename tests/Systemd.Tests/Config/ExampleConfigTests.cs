using System.Text;
using System.Text.RegularExpressions;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Config;

/// <summary>
/// packaging/gpdaemon.toml, installed as /etc/gpdaemon/gpdaemon.toml, documents every setting: each `#key = value`
/// line is a key the daemon reads, with a value the daemon accepts, and every key the daemon reads is there.
/// Checked against the real gpdaemon binary, which exits 78 on a configuration error.
/// </summary>
public sealed partial class ExampleConfigTests
{
    private const int ConfigError = 78;

    private static readonly string ExampleConfig = Path.Combine(Binaries.RepositoryRoot, "packaging", "gpdaemon.toml");

    private sealed record Setting(string Table, string Key, string Value)
    {
        public string Name => Table.Length == 0 ? Key : $"{Table}.{Key}";
    }

    [Fact]
    public async Task ExampleConfig_AsShipped_IsAcceptedByTheDaemon()
    {
        using var dir = new TempDirectory();

        await AssertDaemonStartsAsync(dir, File.ReadAllText(ExampleConfig));
    }

    [Fact]
    public async Task ExampleConfig_WithEveryDocumentedValueUncommented_IsAcceptedByTheDaemon()
    {
        using var dir = new TempDirectory();
        string uncommented = SettingLine().Replace(File.ReadAllText(ExampleConfig), "$1 = $2");
        Assert.Equal(Settings().Count, SettingLine().Matches(File.ReadAllText(ExampleConfig)).Count);

        await AssertDaemonStartsAsync(dir, uncommented);
    }

    [Fact]
    public async Task EveryKeyInTheExampleConfig_IsReadByTheDaemon()
    {
        using var dir = new TempDirectory();
        IReadOnlyList<Setting> settings = Settings();
        Assert.NotEmpty(settings);
        var unread = new List<string>();
        foreach (Setting setting in settings)
        {
            // No reader takes a table where a value belongs, so a key the daemon reads fails naming itself.
            string config = (setting.Table.Length == 0 ? "" : $"[{setting.Table}]\n") + $"{setting.Key} = {{}}\n";
            string path = dir.Combine("gpdaemon.toml");
            File.WriteAllText(path, config);

            try
            {
                ProcessResult result = await Run.ProgramAsync(Binaries.Daemon,
                    ["--config", path, "--runtime-dir", dir.Combine("run"), "--state-dir", dir.Combine("state")], timeout: TimeSpan.FromSeconds(30));
                if (result.ExitCode != ConfigError || !result.Stderr.Contains($"{setting.Name} must be", StringComparison.Ordinal))
                {
                    unread.Add($"{setting.Name}: {result}");
                }
            }
            catch (TimeoutException)
            {
                unread.Add($"{setting.Name}: the daemon started instead of refusing the value");
            }
        }
        Assert.True(unread.Count == 0, "documented but not read by the daemon:\n" + string.Join('\n', unread));
    }

    [Fact]
    public void EverySettingTheDaemonReads_IsDocumentedInTheExampleConfig()
    {
        string reader = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "src", "GpDaemon", "Config", "ConfigReader.cs"));
        HashSet<string> documented = [.. Settings().Select(s => s.Key)];
        string[] keys = [.. ReaderKey().Matches(reader).Select(m => m.Groups[1].Value).Distinct()];
        Assert.NotEmpty(keys);

        string[] undocumented = [.. keys.Where(k => !documented.Contains(k))];
        Assert.True(undocumented.Length == 0, "read by the daemon but not in packaging/gpdaemon.toml: " + string.Join(", ", undocumented));
    }

    /// <summary>The `#key = value` lines of the example, with the [table] they are in.</summary>
    private static List<Setting> Settings()
    {
        var settings = new List<Setting>();
        string table = "";
        foreach (string line in File.ReadAllLines(ExampleConfig))
        {
            if (TableLine().Match(line) is { Success: true } header)
            {
                table = header.Groups[1].Value;
            }
            else if (SettingLine().Match(line) is { Success: true } setting)
            {
                settings.Add(new Setting(table, setting.Groups[1].Value, setting.Groups[2].Value));
            }
        }
        return settings;
    }

    private static async Task AssertDaemonStartsAsync(TempDirectory dir, string config)
    {
        string path = dir.Combine("gpdaemon.toml");
        File.WriteAllText(path, config);
        string socket = dir.Combine("run", "gpdaemon.sock");
        var info = new System.Diagnostics.ProcessStartInfo(Binaries.Daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["--config", path, "--runtime-dir", dir.Combine("run"), "--state-dir", dir.Combine("state")])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (string variable in (string[])["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "CREDENTIALS_DIRECTORY"])
        {
            info.Environment.Remove(variable);
        }
        using var daemon = System.Diagnostics.Process.Start(info)!;
        var output = new StringBuilder();
        daemon.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            string state = await Poll.UntilAsync(() => StateAsync(daemon, socket), s => s != "unreachable", "the daemon to answer on its socket",
                timeout: TimeSpan.FromSeconds(30));
            lock (output)
            {
                Assert.True(state == "Disconnected", $"state: {state}; config:\n{config}\noutput:\n{output}");
            }
        }
        finally
        {
            if (!daemon.HasExited)
            {
                Signals.Send(daemon.Id, Signals.SIGTERM);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await daemon.WaitForExitAsync(cts.Token);
            }
        }
    }

    private static async Task<string> StateAsync(System.Diagnostics.Process daemon, string socket)
    {
        if (daemon.HasExited)
        {
            return $"exited with {daemon.ExitCode}";
        }
        try
        {
            await using GpControl.VpnClient client = await GpControl.VpnClient.ConnectAsync(socket, Deadline.Token());
            return (await client.GetStatusAsync(Deadline.Token())).State;
        }
        catch (Exception ex) when (ex is GpControl.DaemonUnreachableException or IOException)
        {
            return "unreachable";
        }
    }

    [GeneratedRegex(@"^\[([a-z_]+)\]\s*$")]
    private static partial Regex TableLine();

    [GeneratedRegex(@"^#([a-z_]+) = (.+)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    // t.String("portal"), t.Seconds("request_timeout"), t.OneOf("os", [...]) ... in ConfigReader.
    [GeneratedRegex(@"\bt\.(?:String|Bool|Int|Seconds|OneOf|StringArray)\(""([a-z_]+)""")]
    private static partial Regex ReaderKey();
}
