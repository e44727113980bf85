using GpTunnel.Leftover;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.Leftover;

public sealed class PidFileTests
{
    [Theory]
    [InlineData("1234\n98765\n", 1234, 98765ul)]
    [InlineData("1234\n", 1234, null)]
    [InlineData("  1234  ", 1234, null)]
    public void Valid_content_parses(string content, int pid, ulong? start)
    {
        Assert.Equal(new PidFile(pid, start), PidFile.Parse(content));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-4")]
    [InlineData("12\nxyz")]
    [InlineData("12\n3\n4")]
    public void Invalid_content_is_rejected(string content)
    {
        Assert.Null(PidFile.Parse(content));
    }

    [Fact]
    public void Written_file_round_trips_and_leaves_no_temporary_behind()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(PidFile.FileName);
        new PidFile(4321, 777).Write(path);
        new PidFile(4322, 778).Write(path);

        Assert.Equal(new PidFile(4322, 778), PidFile.Parse(File.ReadAllText(path)));
        Assert.Equal([PidFile.FileName], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Delete_only_removes_the_file_of_the_same_pid()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(PidFile.FileName);
        new PidFile(4321, null).Write(path);

        PidFile.DeleteIfOwned(path, 1111);
        Assert.True(File.Exists(path));
        PidFile.DeleteIfOwned(path, 4321);
        Assert.False(File.Exists(path));
    }
}
