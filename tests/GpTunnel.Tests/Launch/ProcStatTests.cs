using GpTunnel.Launch;

namespace GpTunnel.Tests.Launch;

public sealed class ProcStatTests
{
    [Fact]
    public void Stat_with_spaces_and_parentheses_in_the_name_is_parsed_from_the_last_parenthesis()
    {
        var stat = ProcStat.Parse(
            "4242 (open (connect) x) S 1 4242 4242 0 -1 4194560 594 0 0 0 3 1 0 0 20 0 1 0 987654 18874368 1011 18446744073709551615");

        Assert.Equal(new ProcStat('S', 4242, 4242, 987654), stat);
    }

    [Fact]
    public void Truncated_stat_is_rejected()
    {
        Assert.Null(ProcStat.Parse("4242 (x) S 1 2"));
        Assert.Null(ProcStat.Parse("garbage"));
    }

    [Fact]
    public void Own_process_reads_back()
    {
        var stat = ProcStat.Read(Environment.ProcessId);
        Assert.NotNull(stat);
        Assert.False(stat.IsZombie);
        Assert.NotNull(ProcStat.ReadExecutable(Environment.ProcessId));
    }

    [Fact]
    public void Command_line_splits_on_nul()
    {
        Assert.Equal(["/bin/sh", "/x/openconnect", "--script", "exec '/r/w.sh'"],
            ProcStat.ParseCommandLine("/bin/sh\0/x/openconnect\0--script\0exec '/r/w.sh'\0"));
        Assert.Empty(ProcStat.ParseCommandLine(""));
    }

    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0200, 2)]
    [InlineData(0x0009, 137)]
    [InlineData(0x000f, 143)]
    public void Wait_status_becomes_a_shell_style_exit_code(int status, int exitCode)
    {
        Assert.Equal(exitCode, ChildProcess.DecodeWaitStatus(status));
    }
}
