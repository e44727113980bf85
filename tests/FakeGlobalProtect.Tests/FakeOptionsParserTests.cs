using FakeGlobalProtect.Options;

namespace FakeGlobalProtect.Tests;

public sealed class FakeOptionsParserTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = FakeOptionsParser.Parse(["--listen", "127.0.0.1:0"]);

        Assert.Equal("127.0.0.1:0", options.Listen.ToString());
        Assert.Equal(Scenario.Password, options.Scenario);
        Assert.Equal(("test", "secret", "123456"), (options.User, options.Password, options.Otp));
        Assert.Equal("10.99.0.2", options.Ip);
        Assert.Equal(["10.99.0.53"], options.Dns);
        Assert.Equal(["10.99.0.0/16"], options.Routes);
        Assert.Equal("US", options.Region);
        Assert.Equal(0, options.DelayMs);
        Assert.Null(options.CertificatePath);
    }

    [Fact]
    public void Dns_and_route_repeat_and_replace_the_defaults()
    {
        var options = FakeOptionsParser.Parse(
            ["--listen", "127.0.0.1:4443", "--dns", "10.1.0.53", "--dns", "10.1.0.54", "--route", "10.1.0.0/16", "--route", "192.168.7.0/24",
                "--dns-suffix", "corp.test", "--dns-suffix", "lab.test"]);

        Assert.Equal(["10.1.0.53", "10.1.0.54"], options.Dns);
        Assert.Equal(["corp.test", "lab.test"], options.DnsSuffixes);
        Assert.Equal(["10.1.0.0/16", "192.168.7.0/24"], options.Routes);
        Assert.Equal(4443, options.Listen.Port);
    }

    [Theory]
    [InlineData("slow", null, 3000)]
    [InlineData("slow", "250", 250)]
    [InlineData("password", "100", 100)]
    [InlineData("hang", null, 0)]
    public void Delay_defaults_to_three_seconds_only_in_the_slow_scenario(string scenario, string? delay, int expected)
    {
        string[] args = delay is null
            ? ["--listen", "127.0.0.1:0", "--scenario", scenario]
            : ["--listen", "127.0.0.1:0", "--scenario", scenario, "--delay-ms", delay];

        Assert.Equal(expected, FakeOptionsParser.Parse(args).DelayMs);
    }

    [Fact]
    public void Every_scenario_name_parses_to_a_distinct_scenario()
    {
        var parsed = ScenarioNames.All.Select(n => FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", "--scenario", n]).Scenario).ToList();

        Assert.Equal(Enum.GetValues<Scenario>().Length, parsed.Distinct().Count());
        Assert.Contains("gateway-rejects-cookie", ScenarioNames.All);
        Assert.Contains("tunnel-502", ScenarioNames.All);
    }

    [Theory]
    [InlineData(new[] { "--scenario", "password" }, "--listen is required")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--scenario", "nope" }, "unknown scenario 'nope'")]
    [InlineData(new[] { "--listen", "localhost:0" }, "--listen")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--ip", "10.0.0" }, "--ip")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--route", "10.0.0.0" }, "--route")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--delay-ms", "-5" }, "--delay-ms")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--user" }, "--user needs a value")]
    [InlineData(new[] { "--listen", "127.0.0.1:0", "--verbose" }, "unknown argument '--verbose'")]
    public void Bad_command_lines_say_what_is_wrong(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => FakeOptionsParser.Parse(args));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_shows_no_password_or_otp()
    {
        var options = FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", "--password", "hunter2-pw", "--otp", "987123"]);

        var text = options.ToString();

        Assert.Contains("User = test", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-pw", text, StringComparison.Ordinal);
        Assert.DoesNotContain("987123", text, StringComparison.Ordinal);
    }
}
