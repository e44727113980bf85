using GlobalProtect;
using GpDaemon.Backend;
using GpDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.HipReport;

/// <summary>The HIP report script: its arguments, which one runs, whether it is trusted, and how it is run.</summary>
public sealed class HipScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gpd-hipscript-").FullName;

    private static readonly HipReportFacts Facts = new(
        "0123456789abcdef0123456789abcdef", "CORP\\alice", "corp", "box 1", "host-id-1", "10.99.0.2", "4100",
        "Debian GNU/Linux 12 (bookworm)", DateTimeOffset.UnixEpoch);

    public HipScriptTests() => File.SetUnixFileMode(_directory, (UnixFileMode)0x1ed /* 0755 */);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_arguments_are_openconnects_and_the_cookie_holds_only_user_domain_and_computer()
    {
        Assert.Equal(
            ["--cookie", "user=CORP%5calice&domain=corp&computer=box%201", "--client-ip", "10.99.0.2",
             "--md5", "0123456789abcdef0123456789abcdef", "--client-os", "Linux"],
            HipScript.Arguments(Facts));
        Assert.Equal(
            ["--cookie", "user=CORP%5calice&domain=corp&computer=box%201", "--client-ip", "10.99.0.2", "--client-ipv6", "fd00::2",
             "--md5", "0123456789abcdef0123456789abcdef", "--client-os", "Windows"],
            HipScript.Arguments(Facts with { ClientIpv6 = "fd00::2", ClientOs = "Windows" }));
    }

    [Fact]
    public void Debians_script_is_the_default_when_installed_and_an_empty_setting_means_the_built_in_report()
    {
        Assert.Equal(File.Exists(HipScript.DebianDefault) ? HipScript.DebianDefault : null, HipScript.Choose(null));
        Assert.Null(HipScript.Choose(""));
        Assert.Equal("/opt/hip.sh", HipScript.Choose("/opt/hip.sh"));
    }

    [Fact]
    public async Task Debians_hipreport_sh_reads_user_domain_and_computer_from_the_cookie_it_is_given()
    {
        Assert.True(File.Exists(HipScript.DebianDefault), "Debian's openconnect package installs hipreport.sh");
        string report = await Runner().RunAsync(HipScript.DebianDefault, Facts, TimeSpan.FromSeconds(30), Wait.Token());

        var root = System.Xml.Linq.XDocument.Parse(report).Root!;
        Assert.Equal("CORP%5calice", root.Element("user-name")!.Value); // undecoded, as openconnect gives it
        Assert.Equal("corp", root.Element("domain")!.Value);
        Assert.Equal("box%201", root.Element("host-name")!.Value);
        Assert.Equal("10.99.0.2", root.Element("ip-address")!.Value);
        Assert.Equal(Facts.Md5, root.Element("md5-sum")!.Value);
    }

    [Fact]
    public async Task A_script_gets_an_empty_stdin_and_only_a_minimal_environment()
    {
        string script = Script("env | sort; cat; id -un");

        string output = await Runner().RunAsync(script, Facts, TimeSpan.FromSeconds(30), Wait.Token());

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("PATH=/usr/local/bin:/usr/bin:/bin", lines);
        Assert.Contains("LANG=C.UTF-8", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("HOME=", StringComparison.Ordinal));
        Assert.Equal(Environment.UserName == "root" ? "nobody" : Environment.UserName, lines[^1]);
    }

    [Theory]
    [InlineData("echo oops >&2; exit 4", 30, "exited with status 4: oops")]
    [InlineData("sleep 60", 0.5, "did not finish within 0.5 s")]
    [InlineData("head -c 1048577 /dev/zero", 30, "wrote more than 1 MiB")]
    public async Task A_failing_script_is_an_error_that_says_why(string body, double timeout, string reason)
    {
        string script = Script(body);

        var error = await Assert.ThrowsAsync<HipScriptException>(
            () => Runner().RunAsync(script, Facts, TimeSpan.FromSeconds(timeout), Wait.Token()));

        Assert.Contains(reason, error.Message);
        Assert.StartsWith($"HIP report script {script} ", error.Message);
    }

    [Fact]
    public async Task Cancelling_kills_the_script_and_what_it_started()
    {
        string pids = Path.Combine(_directory, "pids");
        Directory.CreateDirectory(pids);
        File.SetUnixFileMode(pids, (UnixFileMode)0x1ff /* 0777 */);
        string script = Script($"sleep 60 & echo $! > {pids}/child; echo $$ > {pids}/script; wait");
        using var cancel = new CancellationTokenSource();

        Task<string> run = Runner().RunAsync(script, Facts, TimeSpan.FromSeconds(60), cancel.Token);
        await UntilAsync(() => File.Exists(Path.Combine(pids, "child")) && File.Exists(Path.Combine(pids, "script")));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        foreach (string name in new[] { "child", "script" })
        {
            int pid = int.Parse(File.ReadAllText(Path.Combine(pids, name)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await UntilAsync(() => !File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] == 'Z');
        }
    }

    [Theory]
    [InlineData(0x1ed, null)]
    [InlineData(0x1ef, "is writable by others (mode 0757)")]
    [InlineData(0x1f5, "is writable by its group (mode 0765)")]
    public void Only_a_script_no_one_else_can_write_is_trusted(int mode, string? problem)
    {
        string script = Script("true");
        File.SetUnixFileMode(script, (UnixFileMode)mode);

        string? found = HipScriptTrust.Problem(script, out string real);

        Assert.Equal(script, real);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Equal($"{script} {problem}", found);
        }
    }

    [Fact]
    public void A_script_is_judged_where_its_symlinks_lead_and_in_every_directory_above_it()
    {
        string open = Path.Combine(_directory, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1ff /* 0777 */);
        string script = Path.Combine(open, "hip.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        string link = Path.Combine(_directory, "link.sh");
        File.CreateSymbolicLink(link, script);

        Assert.Contains($"{open} is writable by others", HipScriptTrust.Problem(link, out string real));
        Assert.Equal(script, real);
        Assert.Contains("No such file or directory", HipScriptTrust.Problem(Path.Combine(_directory, "missing.sh"), out _));
        Assert.Equal($"{_directory} is not a regular file", HipScriptTrust.Problem(_directory, out _));
    }

    private string Script(string body)
    {
        string path = Path.Combine(_directory, $"hip-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ed /* 0755 */);
        return path;
    }

    private static HipScriptRunner Runner() => new(NullLogger.Instance);

    private static async Task UntilAsync(Func<bool> done)
    {
        DateTime deadline = DateTime.UtcNow + Wait.Limit;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "gave up waiting");
            await Task.Delay(20);
        }
    }
}
