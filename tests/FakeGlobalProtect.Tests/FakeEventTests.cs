using FakeGlobalProtect.Events;

namespace FakeGlobalProtect.Tests;

public sealed class FakeEventTests
{
    [Fact]
    public void Plain_values_are_written_bare_and_others_quoted()
    {
        var line = new FakeEvent("gateway-login", ("user", "test"), ("gateway", "US East"), ("note", "a \"b\" \\c"), ("empty", "")).Format();

        Assert.Equal("event gateway-login user=test gateway=\"US East\" note=\"a \\\"b\\\" \\\\c\" empty=\"\"", line);
    }

    [Fact]
    public void A_value_with_a_newline_stays_on_one_line()
    {
        var line = new FakeEvent("http-error", ("reason", "bad\nrequest")).Format();

        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData("event packet ethertype=0800 len=84 src=10.99.0.2 dst=10.99.0.53 proto=icmp")]
    [InlineData("event gateway-login user=test gateway=\"US West\" address=[::ffff:127.0.0.1]:4443")]
    [InlineData("event keepalive")]
    public void Lines_parse_back_to_the_same_event(string line)
    {
        Assert.True(FakeEvent.TryParse(line, out var parsed));

        Assert.Equal(line, parsed!.Format());
    }

    [Fact]
    public void Parsed_values_are_unquoted()
    {
        Assert.True(FakeEvent.TryParse("event x gateway=\"US East\" q=\"say \\\"hi\\\"\" n=3", out var parsed));

        Assert.Equal("x", parsed!.Name);
        Assert.Equal("US East", parsed["gateway"]);
        Assert.Equal("say \"hi\"", parsed["q"]);
        Assert.Equal("3", parsed["n"]);
        Assert.Null(parsed["missing"]);
    }

    [Theory]
    [InlineData("listening 127.0.0.1:4443")]
    [InlineData("pin pin-sha256:abc=")]
    [InlineData("event ")]
    [InlineData("event x key=\"unterminated")]
    [InlineData("event x novalue")]
    public void Other_lines_are_not_events(string line)
    {
        Assert.False(FakeEvent.TryParse(line, out _));
    }
}
