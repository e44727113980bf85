using System.Text.RegularExpressions;
using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Install;

/// <summary>
/// The manual pages (packaging/man/*.scd, built by `make man`): they render without a warning from man, and they
/// name every gpctl command and option, every gpdaemon option and exit code, and every configuration key.
/// </summary>
public sealed partial class ManPageTests
{
    private static readonly string Sources = Path.Combine(Binaries.RepositoryRoot, "packaging", "man");

    public static TheoryData<string> Pages => new() { "gpctl.1", "gpdaemon.8", "gpdaemon.toml.5" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task BuiltPage_RendersWithoutWarnings_AndHasAWhatisLine(string page)
    {
        using var built = new TempDirectory("gpd-man");
        ProcessResult make = await Run.ProgramAsync("make", ["-C", Binaries.RepositoryRoot, "--no-print-directory", "man", "MANOUT=" + built.Path]);
        Assert.True(make.ExitCode == 0, make.ToString());
        string file = built.Combine(page);

        // man exits 0 even when groff warns; the warnings go to stderr.
        ProcessResult man = await Run.ProgramAsync("man", ["--warnings", "-E", "UTF-8", "-l", file],
            environment: new Dictionary<string, string?> { ["MANWIDTH"] = "80", ["LC_ALL"] = "C.UTF-8", ["MANPAGER"] = "cat", ["PAGER"] = "cat" });
        Assert.True(man.ExitCode == 0 && man.Stderr.Length == 0, man.ToString());
        Assert.Contains("SYNOPSIS", man.Stdout, StringComparison.Ordinal);

        // lexgrog reads the NAME section as mandb does for apropos and whatis.
        ProcessResult lexgrog = await Run.ProgramAsync("lexgrog", [file]);
        string name = page[..page.LastIndexOf('.')];
        Assert.True(lexgrog.ExitCode == 0 && lexgrog.Stdout.Contains($"\"{name} - ", StringComparison.Ordinal), lexgrog.ToString());
    }

    [Fact]
    public async Task GpctlPage_DescribesEveryCommandOptionAndExitCode()
    {
        GpctlHelp help = await GpctlHelp.ReadAsync();
        string page = Source("gpctl.1");

        foreach (string command in help.Commands.Keys)
        {
            Assert.Contains($"\n*{command}*", page, StringComparison.Ordinal);
        }
        foreach (string option in help.AllOptions)
        {
            Assert.Contains($"*{option}*", page, StringComparison.Ordinal);
        }
        ProcessResult root = await Run.ProgramAsync(Binaries.Ctl, ["--help"]);
        // "Exit codes: 0 ok; 1 failed ...; 77 permission denied."
        string exitCodes = root.Stdout[root.Stdout.IndexOf("Exit codes:", StringComparison.Ordinal)..];
        exitCodes = exitCodes[..exitCodes.IndexOf("\n\n", StringComparison.Ordinal)];
        string[] codes = [.. ExitCodeInHelp().Matches(exitCodes).Select(m => m.Groups[1].Value)];
        Assert.Equal(["0", "1", "2", "3", "4", "5", "77"], codes);
        Assert.Equal(codes, ExitCodesOf(page));
    }

    [Fact]
    public async Task GpdaemonPage_DescribesEveryOptionAndExitCode()
    {
        ProcessResult usage = await Run.ProgramAsync(Binaries.Daemon, ["--help"]);
        Assert.True(usage.ExitCode == 0, usage.ToString());
        string page = Source("gpdaemon.8");

        string[] options = [.. OptionInUsage().Matches(usage.Stdout).Select(m => m.Value).Distinct()];
        Assert.Contains("--config", options);
        foreach (string option in options)
        {
            Assert.Contains($"*{option}*", page, StringComparison.Ordinal);
        }
        // "Exit codes: 0 stopped cleanly, 1 failure, 2 usage error, 3 another gpdaemon is running, 78 configuration error."
        string exitLine = usage.Stdout.Split('\n').Single(l => l.StartsWith("Exit codes:", StringComparison.Ordinal));
        string[] codes = [.. ExitCodeInHelp().Matches(exitLine).Select(m => m.Groups[1].Value)];
        Assert.Equal(["0", "1", "2", "3", "78"], codes);
        Assert.Equal(codes, ExitCodesOf(page));
    }

    [Fact]
    public void ConfigPage_DescribesEveryKeyOfTheExampleConfigAndTheReader_InItsTable()
    {
        string page = Source("gpdaemon.toml.5");
        var documented = new HashSet<string>(KeysOfPage(page));

        var example = new HashSet<string>(KeysOfExample(File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "packaging", "gpdaemon.toml"))));
        Assert.Contains("openconnect.stop_timeout", example);
        Assert.Empty(example.Except(documented));

        // The keys ConfigReader asks its tables for: t.String("portal") at the top, then one Read* method per table.
        string reader = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "src", "GpDaemon", "Config", "ConfigReader.cs"));
        var read = new HashSet<string>();
        string table = "";
        foreach (string line in reader.Split('\n'))
        {
            if (ReaderMethod().Match(line) is { Success: true } method)
            {
                table = method.Groups[1].Value.ToLowerInvariant() + ".";
            }
            foreach (Match key in ReaderKey().Matches(line))
            {
                read.Add(table == "root." ? key.Groups[1].Value : table + key.Groups[1].Value);
            }
        }
        Assert.Contains("control.max_message_bytes", read);
        Assert.Empty(read.Except(documented));
        Assert.Empty(documented.Except(read));
    }

    private static string Source(string page) => File.ReadAllText(Path.Combine(Sources, page + ".scd"));

    /// <summary>The numbers of the EXIT STATUS section (`*0*` lines).</summary>
    private static string[] ExitCodesOf(string page)
    {
        string section = page[page.IndexOf("# EXIT STATUS", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n# ", 1, StringComparison.Ordinal)];
        return [.. PageExitCode().Matches(section).Select(m => m.Groups[1].Value)];
    }

    /// <summary>"*mtu* = _integer_" under "# [openconnect]" is openconnect.mtu; before any table, a top-level key.</summary>
    private static IEnumerable<string> KeysOfPage(string page) => KeysOf(page, PageTable(), PageKey());

    /// <summary>"#key = value" (commented out) and "[table]" lines of the example config.</summary>
    private static IEnumerable<string> KeysOfExample(string toml) => KeysOf(toml, ExampleTable(), ExampleKey());

    private static IEnumerable<string> KeysOf(string text, Regex tableLine, Regex keyLine)
    {
        string table = "";
        foreach (string line in text.Split('\n'))
        {
            if (tableLine.Match(line) is { Success: true } header)
            {
                table = header.Groups[1].Value + ".";
            }
            else if (keyLine.Match(line) is { Success: true } key)
            {
                yield return table + key.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex(@"(\d+) [a-z]")]
    private static partial Regex ExitCodeInHelp();

    [GeneratedRegex(@"^\*(\d+)\*$", RegexOptions.Multiline)]
    private static partial Regex PageExitCode();

    [GeneratedRegex(@"(?<=^|\s|\[)--[a-z][a-z-]*|(?<=\s)-h(?=,)")]
    private static partial Regex OptionInUsage();

    [GeneratedRegex(@"^# \[([a-z]+)\]$")]
    private static partial Regex PageTable();

    [GeneratedRegex(@"^\*([a-z_]+)\* = _")]
    private static partial Regex PageKey();

    [GeneratedRegex(@"^\[([a-z]+)\]$")]
    private static partial Regex ExampleTable();

    [GeneratedRegex(@"^#([a-z_]+) = ")]
    private static partial Regex ExampleKey();

    [GeneratedRegex(@"static \w+ Read(Root|Client|OpenConnect|Control|Reconnect|Routes|Dns)\(")]
    private static partial Regex ReaderMethod();

    [GeneratedRegex(@"t\.(?:String|Bool|Int|Seconds|OneOf|StringArray|Networks|DomainNames)\(""([a-z_]+)""")]
    private static partial Regex ReaderKey();
}
