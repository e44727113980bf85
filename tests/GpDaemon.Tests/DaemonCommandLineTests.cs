namespace GpDaemon.Tests;

public sealed class DaemonCommandLineTests
{
    [Fact]
    public void No_arguments_means_every_default()
    {
        Assert.Equal(new DaemonCommandLine(null, null, null, null, false, false), DaemonCommandLine.Parse([]));
    }

    [Fact]
    public void Every_option_takes_its_value_from_the_next_argument()
    {
        DaemonCommandLine line = DaemonCommandLine.Parse(
            ["--config", "/tmp/c.toml", "--runtime-dir", "/tmp/run", "--state-dir", "/tmp/state", "--socket", "/tmp/s.sock"]);

        Assert.Equal(new DaemonCommandLine("/tmp/c.toml", "/tmp/run", "/tmp/state", "/tmp/s.sock", false, false), line);
    }

    [Fact]
    public void Options_take_inline_values_too()
    {
        DaemonCommandLine line = DaemonCommandLine.Parse(["--config=/tmp/a=b.toml", "--socket=/tmp/s.sock"]);

        Assert.Equal("/tmp/a=b.toml", line.Config);
        Assert.Equal("/tmp/s.sock", line.Socket);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help_is_recognised(string arg)
    {
        Assert.True(DaemonCommandLine.Parse([arg]).Help);
    }

    [Fact]
    public void Version_is_recognised()
    {
        Assert.True(DaemonCommandLine.Parse(["--version"]).Version);
    }

    [Theory]
    [InlineData("--config")]
    [InlineData("--runtime-dir")]
    [InlineData("--state-dir")]
    [InlineData("--socket")]
    public void An_option_without_its_value_is_a_usage_error_naming_it(string option)
    {
        var ex = Assert.Throws<UsageException>(() => DaemonCommandLine.Parse([option]));

        Assert.Equal($"{option} needs a value", ex.Message);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("start")]
    [InlineData("--socket-path=/tmp/s")]
    public void Unknown_arguments_are_usage_errors_naming_them(string arg)
    {
        var ex = Assert.Throws<UsageException>(() => DaemonCommandLine.Parse(["--socket", "/tmp/s", arg]));

        Assert.Contains($"'{arg}'", ex.Message);
    }

    [Theory]
    [InlineData("--help=yes")]
    [InlineData("--version=2")]
    public void A_flag_given_a_value_is_a_usage_error(string arg)
    {
        Assert.Throws<UsageException>(() => DaemonCommandLine.Parse([arg]));
    }

    [Fact]
    public void The_usage_text_lists_every_option()
    {
        foreach (string option in new[] { "--config", "--runtime-dir", "--state-dir", "--socket", "--version", "--help" })
        {
            Assert.Contains(option, DaemonCommandLine.Usage);
        }
    }
}
