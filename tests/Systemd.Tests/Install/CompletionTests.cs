using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Install;

/// <summary>
/// The shell completions (packaging/completion): bash's run in a real bash for partial command lines, fish's in a
/// real fish, zsh's parsed by zsh; and all three name every command and option the built gpctl lists in its help,
/// so a command or option added to gpctl without its completion fails here.
/// </summary>
public sealed class CompletionTests
{
    private static readonly string Completions = Path.Combine(Binaries.RepositoryRoot, "packaging", "completion");

    public static TheoryData<string[], string[]> PartialCommandLines => new()
    {
        { ["gpctl", ""], ["status", "connect", "disconnect", "watch", "callback"] },
        { ["gpctl", "ca"], ["callback"] },
        { ["gpctl", "con"], ["connect"] },
        { ["gpctl", "dis"], ["disconnect"] },
        { ["gpctl", "status", "--j"], ["--json"] },
        { ["gpctl", "connect", "--pa"], ["--passwd-on-stdin"] },
        { ["gpctl", "connect", "vpn.example.com", "--user", "alice", "--no"], ["--no-wait"] },
        // Options before the command, with and without their value: the command is still found.
        { ["gpctl", "--socket", "/run/x.sock", "wa"], ["watch"] },
        { ["gpctl", "--socket", "=", "/run/x.sock", "watch", "--"], ["--json", "--socket", "--instance", "--help"] },
        { ["gpctl", "disconnect", "--"], ["--forget", "--socket", "--instance", "--help"] },
        // An instance before the command, short or long: its name is a value, not the command.
        { ["gpctl", "-i", "work", "dis"], ["disconnect"] },
        { ["gpctl", "--instance", "work", "status", "--a"], ["--all"] },
        { ["gpctl", "disconnect", "--fo"], ["--forget"] },
        { ["gpctl", "--ver"], ["--version"] },
    };

    [Theory]
    [MemberData(nameof(PartialCommandLines))]
    public async Task BashCompletion_CompletesPartialCommandLines(string[] words, string[] expected)
    {
        string[] replies = await BashCompleteAsync(words);

        Assert.Equal(expected.Order(), replies.Order());
    }

    [Fact]
    public async Task BashCompletion_CompletesTheSocketAsAFile_AndTheUserAsAUser()
    {
        using var directory = new TempDirectory("gpd-completion");
        File.WriteAllText(directory.Combine("daemon.sock"), "");

        Assert.Equal([directory.Combine("daemon.sock")], await BashCompleteAsync(["gpctl", "--socket", directory.Combine("dae")]));
        Assert.Equal(["root"], await BashCompleteAsync(["gpctl", "connect", "-u", "roo"]));
    }

    [Fact]
    public async Task BashCompletion_OffersEveryCommandAndEveryOptionOfGpctlsHelp()
    {
        GpctlHelp help = await GpctlHelp.ReadAsync();

        Assert.Equal(help.Commands.Keys.Order(), (await BashCompleteAsync(["gpctl", ""])).Order());
        Assert.Equal(help.GlobalOptions.Order(), (await BashCompleteAsync(["gpctl", "-"])).Order());
        foreach ((string command, IReadOnlyList<string> options) in help.Commands)
        {
            Assert.Equal(options.Order(), (await BashCompleteAsync(["gpctl", command, "-"])).Order());
        }
    }

    [Fact]
    public async Task FishCompletion_OffersEveryCommandAndEveryLongOptionOfGpctlsHelp()
    {
        GpctlHelp help = await GpctlHelp.ReadAsync();

        Assert.Equal(help.Commands.Keys.Order(), (await FishCompleteAsync("gpctl ")).Order());
        foreach ((string command, IReadOnlyList<string> options) in help.Commands)
        {
            string[] offered = await FishCompleteAsync($"gpctl {command} --");
            Assert.Equal(options.Where(o => o.StartsWith("--", StringComparison.Ordinal)).Order(), offered.Order());
            string[] shortOffered = await FishCompleteAsync($"gpctl {command} -");
            Assert.Empty(options.Where(o => !o.StartsWith("--", StringComparison.Ordinal)).Except(shortOffered));
        }
    }

    [Fact]
    public async Task ZshCompletion_Parses_AndNamesEveryCommandAndOptionOfGpctlsHelp()
    {
        string script = Path.Combine(Completions, "_gpctl");
        ProcessResult parse = await Run.ProgramAsync("zsh", ["-n", script]);
        Assert.True(parse.ExitCode == 0 && parse.Output.Length == 0, parse.ToString());

        GpctlHelp help = await GpctlHelp.ReadAsync();
        string text = File.ReadAllText(script);
        foreach (string command in help.Commands.Keys)
        {
            Assert.Contains($"'{command}:", text, StringComparison.Ordinal);
        }
        foreach (string option in help.AllOptions)
        {
            Assert.Contains(option, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Sources gpctl.bash in a real bash, sets COMP_WORDS/COMP_CWORD as readline would, and prints COMPREPLY.</summary>
    private static async Task<string[]> BashCompleteAsync(string[] words)
    {
        const string Driver = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            _gpctl gpctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        ProcessResult bash = await Run.ProgramAsync("bash", ["--norc", "--noprofile", "-c", Driver, "bash", Path.Combine(Completions, "gpctl.bash"), .. words]);
        Assert.True(bash.ExitCode == 0 && bash.Stderr.Length == 0, bash.ToString());
        return bash.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>fish's own `complete -C` on a command line, with gpctl.fish loaded: the candidates, without descriptions.</summary>
    private static async Task<string[]> FishCompleteAsync(string commandLine)
    {
        ProcessResult fish = await Run.ProgramAsync("fish", ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", Path.Combine(Completions, "gpctl.fish"), commandLine]);
        Assert.True(fish.ExitCode == 0 && fish.Stderr.Length == 0, fish.ToString());
        return [.. fish.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')[0])];
    }
}
