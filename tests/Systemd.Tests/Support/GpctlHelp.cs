using System.Text.RegularExpressions;
using GpDaemon.TestSupport;

namespace Systemd.Tests.Support;

/// <summary>
/// gpctl's commands and options as the built gpctl itself lists them in `gpctl --help` and `gpctl COMMAND --help`:
/// what the manual page and the shell completions must cover.
/// </summary>
internal sealed partial record GpctlHelp(IReadOnlyList<string> GlobalOptions, IReadOnlyDictionary<string, IReadOnlyList<string>> Commands)
{
    /// <summary>System.CommandLine's extra help alias: a shell glob character, left out of the completions and the page.</summary>
    private const string QuestionMarkAlias = "-?";

    public IEnumerable<string> AllOptions => GlobalOptions.Concat(Commands.Values.SelectMany(o => o)).Distinct();

    public static async Task<GpctlHelp> ReadAsync()
    {
        string root = await HelpAsync();
        var commands = new Dictionary<string, IReadOnlyList<string>>();
        foreach (string line in Section(root, "Commands"))
        {
            string name = line.Trim().Split(' ')[0];
            commands[name] = Options(await HelpAsync(name));
        }
        Assert.NotEmpty(commands);
        return new GpctlHelp(Options(root), commands);
    }

    private static async Task<string> HelpAsync(params string[] command)
    {
        ProcessResult help = await Run.ProgramAsync(Binaries.Ctl, [.. command, "--help"]);
        Assert.True(help.ExitCode == 0, help.ToString());
        return help.Stdout;
    }

    /// <summary>"  -u, --user &lt;user&gt;  user name": every name before the value and description.</summary>
    private static List<string> Options(string help) =>
        [.. Section(help, "Options").SelectMany(line => OptionName().Matches(line.Split("  ", 2, StringSplitOptions.RemoveEmptyEntries)[0])
            .Select(m => m.Value)).Where(name => name != QuestionMarkAlias)];

    private static IEnumerable<string> Section(string help, string title) =>
        help.Split('\n').SkipWhile(line => line.TrimEnd() != title + ":").Skip(1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal));

    [GeneratedRegex(@"(?<=^|\s)--?[a-z?][a-z-]*")]
    private static partial Regex OptionName();
}
