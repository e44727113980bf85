using GlobalProtect.Protocol;

namespace GlobalProtect.Tests.Protocol;

public sealed class ChallengeScriptParserTests
{
    [Fact]
    public void Reads_a_challenge()
    {
        const string body = "var respStatus = \"Challenge\";\nvar respMsg = \"Enter the code from your authenticator\";\nthisForm.inputStr.value = \"abcd1234\";\n";

        var reply = ChallengeScriptParser.TryParse(body);

        Assert.Equal(new ServerReply.Challenge("Enter the code from your authenticator", "abcd1234"), reply);
    }

    [Fact]
    public void Error_status_is_a_refusal_with_the_message()
    {
        const string body = "var respStatus = \"Error\";\nvar respMsg = \"Authentication failed: Invalid username or password \";\nthisForm.inputStr.value = \"\";\n";

        var reply = ChallengeScriptParser.TryParse(body);

        Assert.Equal(new ServerReply.Refused("Authentication failed: Invalid username or password"), reply);
    }

    [Fact]
    public void Error_without_message_or_input_string_is_still_a_refusal()
    {
        Assert.Equal(new ServerReply.Refused("authentication failed"), ChallengeScriptParser.TryParse("var respStatus = \"Error\";\n"));
    }

    [Fact]
    public void Json_escaped_message_of_newer_servers_is_decoded()
    {
        const string body = "var respStatus = \"Challenge\";\n" +
                            "var respMsg = \"Enter \\\"the\\\" code\\nfrom the app \\u00e9 \\/ done\";\n" +
                            "thisForm.inputStr.value = \"5ef64e83000119ed\";\n";

        var reply = Assert.IsType<ServerReply.Challenge>(ChallengeScriptParser.TryParse(body));

        // The message is shown at a terminal: its line break becomes a space (UntrustedText).
        Assert.Equal("Enter \"the\" code from the app \u00e9 / done", reply.Message);
        Assert.Equal("5ef64e83000119ed", reply.InputStr);
    }

    [Fact]
    public void Raw_quotes_and_backslashes_of_old_servers_are_kept()
    {
        const string body = "var respStatus = \"Challenge\";\nvar respMsg = \"Enter \"PIN\" for CORP\\alice\";\nthisForm.inputStr.value = \"x1\";\n";

        var reply = Assert.IsType<ServerReply.Challenge>(ChallengeScriptParser.TryParse(body));

        Assert.Equal("Enter \"PIN\" for CORP\\alice", reply.Message);
    }

    [Fact]
    public void Single_line_crlf_and_html_wrapped_forms_are_read()
    {
        const string oneLine = "var respStatus = \"Challenge\"; var respMsg = \"Code\"; thisForm.inputStr.value = \"in1\";";
        const string crlf = "var respStatus = \"Challenge\";\r\nvar respMsg = \"Code\";\r\nthisForm.inputStr.value = \"in2\";\r\n";
        const string html = "<html><head><script>\n  var respStatus = \"Challenge\";\n  var respMsg = \"Code\";\n  thisForm.inputStr.value = \"in3\";\n</script></head></html>";

        Assert.Equal(new ServerReply.Challenge("Code", "in1"), ChallengeScriptParser.TryParse(oneLine));
        Assert.Equal(new ServerReply.Challenge("Code", "in2"), ChallengeScriptParser.TryParse(crlf));
        Assert.Equal(new ServerReply.Challenge("Code", "in3"), ChallengeScriptParser.TryParse(html));
    }

    [Theory]
    [InlineData("var respStatus = \"Challenge\";\nvar respMsg = \"Code\";\n")]
    [InlineData("var respStatus = \"Challenge\";\nvar respMsg = \"Code\";\nthisForm.inputStr.value = \"\";\n")]
    [InlineData("var respStatus = \"Maybe\";\nvar respMsg = \"Code\";\nthisForm.inputStr.value = \"x\";\n")]
    [InlineData("var respStatus = \"Challenge")]
    [InlineData("no script here")]
    public void Unanswerable_or_unknown_scripts_are_not_read(string body)
    {
        Assert.Null(ChallengeScriptParser.TryParse(body));
    }

    [Theory]
    [InlineData("a\\qb", "a\\qb")]
    [InlineData("tab\\there", "tab\there")]
    [InlineData("\\x41\\u0042", "AB")]
    [InlineData("bad \\u12", "bad \\u12")]
    [InlineData("end\\", "end\\")]
    public void Unescape_decodes_known_escapes_and_keeps_the_rest(string raw, string expected)
    {
        Assert.Equal(expected, ChallengeScriptParser.Unescape(raw));
    }
}
