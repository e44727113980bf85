using System.Text;
using System.Text.Json;
using GpControl.Varlink;

namespace GpControl.Tests.Varlink;

public sealed class VarlinkCallTests
{
    private static VarlinkCall Parse(string json) => VarlinkCall.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_call_with_parameters_keeps_them()
    {
        VarlinkCall call = Parse("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com","user":"alice"}}""");

        Assert.Equal("io.gpdaemon.Vpn.Connect", call.Method);
        Assert.Equal("vpn.example.com", call.Parameters.GetProperty("portal").GetString());
        Assert.Equal("alice", call.Parameters.GetProperty("user").GetString());
        Assert.False(call.More);
        Assert.False(call.Oneway);
    }

    [Theory]
    [InlineData("""{"method":"io.gpdaemon.Vpn.GetStatus"}""")]
    [InlineData("""{"method":"io.gpdaemon.Vpn.GetStatus","parameters":null}""")]
    [InlineData("""{"method":"io.gpdaemon.Vpn.GetStatus","parameters":{}}""")]
    public void A_call_without_parameters_has_an_empty_object(string json)
    {
        VarlinkCall call = Parse(json);

        Assert.Equal(JsonValueKind.Object, call.Parameters.ValueKind);
        Assert.Empty(call.Parameters.EnumerateObject());
    }

    [Theory]
    [InlineData("""{"method":"a.b.C","more":true}""", true, false)]
    [InlineData("""{"method":"a.b.C","oneway":true}""", false, true)]
    [InlineData("""{"more":false,"oneway":false,"method":"a.b.C"}""", false, false)]
    [InlineData("""{"method":"a.b.C","more":true,"oneway":true,"upgrade":false}""", true, true)]
    public void Flags_are_read(string json, bool more, bool oneway)
    {
        VarlinkCall call = Parse(json);

        Assert.Equal(more, call.More);
        Assert.Equal(oneway, call.Oneway);
    }

    [Fact]
    public void Unknown_top_level_fields_are_ignored()
    {
        Assert.Equal("a.b.C", Parse("""{"method":"a.b.C","future":{"x":[1,2]}}""").Method);
    }

    [Fact]
    public void Parameters_outlive_the_message_buffer()
    {
        byte[] buffer = Encoding.UTF8.GetBytes("""{"method":"a.b.C","parameters":{"portal":"vpn.example.com"}}""");
        VarlinkCall call = VarlinkCall.Parse(buffer);
        Array.Fill(buffer, (byte)' '); // the frame reader reuses its buffer for the next message

        Assert.Equal("vpn.example.com", call.Parameters.GetProperty("portal").GetString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("5")]
    [InlineData("\"io.gpdaemon.Vpn.GetStatus\"")]
    [InlineData("null")]
    public void A_message_that_is_not_an_object_is_refused(string json)
    {
        Assert.Throws<VarlinkProtocolException>(() => Parse(json));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"parameters":{}}""")]
    [InlineData("""{"method":""}""")]
    [InlineData("""{"method":null}""")]
    [InlineData("""{"method":5}""")]
    [InlineData("""{"method":["a.b.C"]}""")]
    public void A_call_without_a_string_method_is_refused(string json)
    {
        Assert.Throws<VarlinkProtocolException>(() => Parse(json));
    }

    [Theory]
    [InlineData("""{"method":"a.b.C","more":"yes"}""", "more")]
    [InlineData("""{"method":"a.b.C","more":1}""", "more")]
    [InlineData("""{"method":"a.b.C","oneway":null}""", "oneway")]
    [InlineData("""{"method":"a.b.C","parameters":[]}""", "parameters")]
    [InlineData("""{"method":"a.b.C","parameters":"x"}""", "parameters")]
    public void Wrong_typed_fields_are_refused_by_name(string json, string field)
    {
        var ex = Assert.Throws<VarlinkProtocolException>(() => Parse(json));
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void Protocol_upgrades_are_refused()
    {
        Assert.Throws<VarlinkProtocolException>(() => Parse("""{"method":"a.b.C","upgrade":true}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"method":"a.b.C",}""")]
    [InlineData("""{"method":'a.b.C'}""")]
    [InlineData("""{"method":"a.b.C"} {}""")]
    public void Invalid_json_is_refused(string json)
    {
        Assert.Throws<VarlinkProtocolException>(() => Parse(json));
    }

    [Theory]
    [InlineData("""{"method":"a.b.C","parameters":{"user":"#"}}""")]
    [InlineData("""{"method":"a.b.#"}""")]
    [InlineData("""{"method":"a.b.C","#":1}""")]
    public void Invalid_utf8_inside_a_string_is_refused(string template)
    {
        // "#" stands for C3 28: a lead byte followed by a byte that cannot continue it.
        byte[] ascii = Encoding.ASCII.GetBytes(template);
        int at = Array.IndexOf(ascii, (byte)'#');
        byte[] message = [.. ascii[..at], 0xC3, 0x28, .. ascii[(at + 1)..]];

        Assert.Throws<VarlinkProtocolException>(() => VarlinkCall.Parse(message));
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        // The call object is level 1, parameters level 2: 30 more levels inside make 32.
        VarlinkCall call = Parse(Nested(30));

        Assert.Equal("a.b.C", call.Method);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(100_000)]
    public void Nesting_deeper_than_the_limit_is_refused(int depth)
    {
        Assert.Throws<VarlinkProtocolException>(() => Parse(Nested(depth)));
    }

    private static string Nested(int depth) =>
        """{"method":"a.b.C","parameters":{"x":""" + new string('[', depth) + new string(']', depth) + "}}";
}
