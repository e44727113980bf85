using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

public sealed class ServerReplyReaderTests
{
    private static ServerReply Read(int status, string body) =>
        ServerReplyReader.Read(status, body, "portal getconfig", "<policy>", "vpn.example.com");

    [Fact]
    public void Http_512_is_a_refusal()
    {
        Assert.IsType<ServerReply.Refused>(Read(512, "Invalid username or password"));
    }

    [Fact]
    public void Error_document_is_a_refusal_with_the_server_message()
    {
        Assert.Equal(new ServerReply.Refused("Authentication failed"), Read(200, Gp.Error("Authentication failed")));
    }

    [Fact]
    public void A_server_message_is_made_safe_and_bounded_where_it_is_read()
    {
        var reply = Assert.IsType<ServerReply.Refused>(Read(200, Gp.Error("Denied\u009b2J\nINFO forged" + new string('x', 100_000))));

        Assert.StartsWith("Denied\\x9B2J INFO forgedxxx", reply.Message);
        Assert.Equal(GpText.UntrustedText.MaxLength, reply.Message.Length);
        Assert.EndsWith("\u2026", reply.Message);
    }

    [Fact]
    public void A_script_message_with_escape_sequences_is_made_safe()
    {
        const string body = "var respStatus = \"Challenge\";\nvar respMsg = \"\\u001b[2JCode\\r\\nINFO forged\";\nthisForm.inputStr.value = \"abc\";\n";

        var reply = Assert.IsType<ServerReply.Challenge>(Read(200, body));

        Assert.Equal("\\x1B[2JCode INFO forged", reply.Message);
    }

    [Fact]
    public void Portal_does_not_exist_is_its_own_answer()
    {
        var reply = Assert.IsType<ServerReply.NotFound>(Read(200, Gp.Error("GlobalProtect portal does not exist")));

        Assert.Equal(PreloginStatus.PortalNotFound, reply.Kind);
    }

    [Fact]
    public void Prelogin_style_error_is_read_too()
    {
        Assert.IsType<ServerReply.NotFound>(Read(200, Gp.PreloginError("GlobalProtect portal does not exist")));
        Assert.Equal(new ServerReply.Refused("nope"), Read(200, Gp.PreloginError("nope")));
    }

    [Fact]
    public void Xml_challenge_is_read()
    {
        Assert.Equal(
            new ServerReply.Challenge("Enter your token", "abcd1234"),
            Read(200, Gp.XmlChallenge("alice", "Enter your token", "abcd1234")));
    }

    [Fact]
    public void Xml_challenge_without_input_string_is_a_protocol_error()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => Read(200, "<challenge><respmsg>code?</respmsg></challenge>"));

        Assert.Equal("portal getconfig: <challenge> without <inputstr>", ex.Message);
    }

    [Fact]
    public void Script_challenge_and_script_error_are_read()
    {
        Assert.Equal(new ServerReply.Challenge("Code", "in"), Read(200, Gp.ScriptChallenge("Code", "in")));
        Assert.Equal(new ServerReply.Refused("Denied"), Read(200, Gp.ScriptError("Denied")));
    }

    [Fact]
    public void Unreadable_script_is_a_protocol_error()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => Read(200, "var respStatus = \"Challenge\";\n"));

        Assert.StartsWith("portal getconfig: unreadable challenge", ex.Message);
    }

    [Fact]
    public void Success_document_is_returned_for_the_step_parser()
    {
        var reply = Assert.IsType<ServerReply.Document>(Read(200, Gp.Policy([Gp.Gateway("gw")])));

        Assert.Equal("policy", reply.Root.Name.LocalName);
    }

    [Fact]
    public void Server_errors_name_the_step_and_the_server()
    {
        var ex = Assert.Throws<PortalException>(() => Read(500, "Internal Server Error"));

        Assert.Equal("portal getconfig: vpn.example.com answered HTTP 500", ex.Message);
    }

    [Fact]
    public void Other_statuses_are_portal_errors()
    {
        var ex = Assert.Throws<PortalException>(() => Read(404, "Not Found"));

        Assert.Contains("HTTP 404", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<policy><gateways>")]
    [InlineData("<policy></gateways>")]
    [InlineData("Bad Gateway")]
    public void Empty_or_malformed_bodies_are_protocol_errors_naming_the_expected_document(string body)
    {
        var ex = Assert.Throws<GlobalProtectException>(() => Read(200, body));

        Assert.Contains("<policy>", ex.Message);
        Assert.StartsWith("portal getconfig: ", ex.Message);
    }
}
