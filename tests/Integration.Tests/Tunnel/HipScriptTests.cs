using System.Globalization;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Tunnel;

/// <summary>
/// The HIP report written by a script (openconnect's --csd-wrapper convention) against a gateway that demands one:
/// Debian's hipreport.sh by default, a configured script, the built-in report; scripts that fail or are not trusted.
/// The checks look at what reached the gateway, not at when: openconnect's own check may come before or after the
/// daemon's report.
/// </summary>
public sealed class HipScriptTests
{
    private const string DebianScript = "/usr/libexec/openconnect/hipreport.sh";

    /// <summary>The host-id Debian's hipreport.sh writes into every report.</summary>
    private const string DebianHostId = "deadbeef-dead-beef-dead-beefdeadbeef";

    [Fact]
    public async Task ByDefault_DebiansHipreportSh_WritesTheReportTheGatewayGets()
    {
        Assert.True(File.Exists(DebianScript), $"{DebianScript} comes with Debian's openconnect package");
        await using VpnScenario vpn = await VpnScenario.StartAsync("password", "--hip-required");

        VpnStatus status = await ConnectAsync(vpn);

        Assert.Equal("sent", status.HipReport);
        string report = await vpn.Fake.WaitForEventAsync("hipreport");
        Assert.Contains("result=ok", report);
        Assert.Equal(DebianHostId, Property(report, "host-id"));
        Assert.Equal("5.1.5-8", Property(report, "client-version"));
        Assert.Equal(Property(vpn.Fake.EventsNamed("hipreportcheck")[0], "md5"), Property(report, "md5"));
    }

    [Fact]
    public async Task AnEmptyHipScript_SendsTheBuiltInReport()
    {
        await using VpnScenario vpn = await StartWithHipScriptAsync("", "version = \"4100\"\n");

        VpnStatus status = await ConnectAsync(vpn);

        Assert.Equal("sent", status.HipReport);
        string report = await vpn.Fake.WaitForEventAsync("hipreport");
        Assert.Contains("result=ok", report);
        Assert.Equal("4100", Property(report, "client-version"));
        Assert.NotEqual(DebianHostId, Property(report, "host-id"));
    }

    [Fact]
    public async Task AConfiguredScript_WritesTheReport_RunsAsNobody_AndItsArgumentsHoldNoSecret()
    {
        using var scripts = new TempDirectory("gpd-hip");
        string record = RecordDirectory(scripts);
        string script = WriteScript(scripts, "hip.sh", $$"""
            { id -un; for a in "$@"; do printf '%s\n' "$a"; done; } > {{record}}/argv
            echo "a line on stderr" >&2
            {{DebianScript}} "$@" | sed 's|<client-version>[^<]*<|<client-version>custom-script<|'

            """);
        await using VpnScenario vpn = await StartWithHipScriptAsync(script, recordSecrets: true);

        VpnStatus status = await ConnectAsync(vpn);

        Assert.Equal("sent", status.HipReport);
        string report = await vpn.Fake.WaitForEventAsync("hipreport");
        Assert.Contains("result=ok", report);
        Assert.Equal("custom-script", Property(report, "client-version"));

        string[] argv = File.ReadAllLines(Path.Combine(record, "argv"));
        Assert.Equal("nobody", argv[0]);
        string[] arguments = argv[1..];
        Assert.Equal(["--cookie", "--client-ip", "--md5", "--client-os"], arguments.Where((_, i) => i % 2 == 0));
        string cookie = arguments[1];
        Assert.Matches("^user=test&domain=[^&]*&computer=[^&]+$", cookie);
        Assert.Equal(vpn.Fake.TunnelAddress, arguments[3]);
        // The md5 the gateway's check carried (of the whole cookie), which the report repeats.
        Assert.All(vpn.Fake.EventsNamed("hipreportcheck"), check => Assert.Equal(arguments[5], Property(check, "md5")));
        Assert.Equal(arguments[5], Property(report, "md5"));
        Assert.Equal("Linux", arguments[7]);

        Assert.Equal(0, (await Run.GpctlAsync(vpn.Daemon.SocketPath, "disconnect")).ExitCode);
        await vpn.Daemon.TerminateAsync();
        Assert.Contains("a line on stderr", vpn.Daemon.Output);
        string[] secrets = [.. File.ReadAllLines(vpn.SecretsFile).Select(line => line.Split(' ')[1])];
        Assert.NotEmpty(secrets);
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(arguments, argument => argument.Contains(secret, StringComparison.Ordinal));
        }
    }

    public static TheoryData<string, string> FailingScripts => new()
    {
        { "echo 'cannot collect the host information' >&2; exit 3", "exited with status 3: cannot collect the host information" },
        { "echo 'this is not XML'", "malformed XML where <hip-report> was expected" },
        { "echo '<html><body>hello</body></html>'", "the document is a <html>, not a <hip-report>" },
        { "head -c 2000000 /dev/zero | tr '\\0' a", "wrote more than 1 MiB" },
        { "sleep 600 & echo $! > \"$RECORD/child\"; wait", "did not finish within 2 s" },
    };

    [Theory]
    [MemberData(nameof(FailingScripts))]
    public async Task AScriptThatFails_IsAWarningInTheStatus_TheTunnelComesUp_AndNothingOfItIsLeftRunning(string body, string reason)
    {
        using var scripts = new TempDirectory("gpd-hip");
        string record = RecordDirectory(scripts);
        string script = WriteScript(scripts, "hip.sh", $"RECORD={record}\necho $$ > \"$RECORD/pid\"\n{body}\n");
        await using VpnScenario vpn = await StartWithHipScriptAsync(script, "request_timeout = 2\n");

        VpnStatus status = await ConnectAsync(vpn);

        Assert.StartsWith("failed: ", status.HipReport);
        Assert.Contains(reason, status.HipReport);
        Assert.Equal("Connected", status.State);
        Assert.Equal(0, vpn.Fake.Count("hipreport"));
        foreach (string file in new[] { "pid", "child" }.Select(name => Path.Combine(record, name)).Where(File.Exists))
        {
            int pid = int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
            await Poll.UntilAsync(() => Task.FromResult(IsRunning(pid)), running => !running, $"the script's process {pid} to be gone",
                timeout: TimeSpan.FromSeconds(10));
        }
    }

    public static TheoryData<string, string> UntrustedPlaces => new()
    {
        { "script-writable-by-others", "is writable by others (mode 0757)" },
        { "script-owned-by-user", "is owned by uid" },
        { "directory-owned-by-user", "is owned by uid" },
    };

    [Theory]
    [MemberData(nameof(UntrustedPlaces))]
    public async Task AScriptAnotherUserCouldChange_IsNotRun(string place, string reason)
    {
        await TestUsers.EnsureAsync();
        using var scripts = new TempDirectory("gpd-hip");
        string record = RecordDirectory(scripts);
        string directory = scripts.Combine("scripts");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0x1ed /* 0755 */);
        string script = WriteScript(directory, "hip.sh", $"touch {record}/ran\nexec {DebianScript} \"$@\"\n");
        switch (place)
        {
            case "script-writable-by-others":
                File.SetUnixFileMode(script, (UnixFileMode)0x1ef /* 0757 */);
                break;
            case "script-owned-by-user":
                await ChownAsync(script);
                break;
            default:
                await ChownAsync(directory);
                break;
        }
        await using VpnScenario vpn = await StartWithHipScriptAsync(script);

        VpnStatus status = await ConnectAsync(vpn);

        Assert.StartsWith($"failed: HIP report script {script} is not run: ", status.HipReport);
        Assert.Contains(reason, status.HipReport);
        Assert.Equal("Connected", status.State);
        Assert.False(File.Exists(Path.Combine(record, "ran")), "the script ran");
        Assert.Equal(0, vpn.Fake.Count("hipreport"));
    }

    /// <summary>A gateway that wants HIP reports, and a daemon with <paramref name="hipScript"/> and <paramref name="moreClient"/> in [client].</summary>
    private static Task<VpnScenario> StartWithHipScriptAsync(string hipScript, string moreClient = "", bool recordSecrets = false) =>
        VpnScenario.StartAsync(new VpnScenarioOptions
        {
            PortalOptions = ["--hip-required"],
            RecordSecrets = recordSecrets,
            Config = _ => $"\n[client]\nhip_script = \"{hipScript}\"\n{moreClient}",
        });

    private static async Task<VpnStatus> ConnectAsync(VpnScenario vpn)
    {
        ProcessResult result = await vpn.ConnectAsync();
        Assert.True(result.ExitCode == 0, result + vpn.Daemon.Output);
        await vpn.Fake.WaitForEventAsync("tunnel-connect");
        VpnStatus status = await vpn.Daemon.StatusAsync();
        Assert.Equal("Connected", status.State);
        Assert.Contains("HIP report:", (await Run.GpctlAsync(vpn.Daemon.SocketPath, "status")).Stdout);
        return status;
    }

    /// <summary>Writes a root-owned 0755 shell script; returns its path.</summary>
    private static string WriteScript(TempDirectory directory, string name, string body) => WriteScript(directory.Path, name, body);

    private static string WriteScript(string directory, string name, string body)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, (UnixFileMode)0x1ed /* 0755 */);
        return path;
    }

    /// <summary>A directory the script, running as nobody, can write what it did to.</summary>
    private static string RecordDirectory(TempDirectory directory)
    {
        string path = directory.Combine("record");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0x3ff /* 1777 */);
        return path;
    }

    private static async Task ChownAsync(string path)
    {
        ProcessResult chown = await Run.ProgramAsync("chown", [TestUsers.Outsider, path]);
        Assert.True(chown.ExitCode == 0, chown.ToString());
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ...": a zombie has ended.
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Property(string eventLine, string name) =>
        eventLine.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
