using GlobalProtect.Protocol;
using GlobalProtect.Tests.Fuzz;

namespace GlobalProtect.Tests.Protocol;

/// <summary>
/// What real portals and gateways send beyond the documented format, one corpus file each (Fuzz/corpus/*-quirk-*),
/// as openconnect's GlobalProtect code meets them: each must read as the server meant it.
/// </summary>
public sealed class RealServerQuirkTests
{
    private static string Fixture(string name) => FuzzCorpus.All.Single(f => f.Name == name).Text;

    [Fact]
    public void Raw_ampersands_in_xml_text_are_read_as_themselves()
    {
        var config = PortalConfigParser.Parse(Fixture("portal-config-quirk-unescaped-ampersand.xml"));

        Assert.Equal("R&D Portal", config.PortalName);
        Assert.Equal(["R&D East", "Sales & Marketing"], config.Gateways.Select(g => g.Name));
        // "empty" is how portals say "no cookie".
        Assert.Null(config.PortalUserAuthCookie);
    }

    [Fact]
    public void Raw_ampersand_in_an_error_reply_keeps_the_servers_message()
    {
        var reply = ServerReplyReader.Read(200, Fixture("response-quirk-unescaped-ampersand.xml"), "gateway login", "<jnlp>");

        Assert.Equal(new ServerReply.Refused("Authentication failed: contact IT & Security"), reply);
    }

    [Fact]
    public void Challenge_script_inside_an_html_page_is_read_with_its_character_references_decoded()
    {
        var reply = ServerReplyReader.Read(200, Fixture("challenge-quirk-html-wrapped.html"), "gateway login", "<jnlp>");

        Assert.Equal(
            new ServerReply.Challenge("Enter a passcode or select an option to continue: 1 - Push. Enter '0' to abort.", "631e685100000570"),
            reply);
    }

    [Fact]
    public void Raw_line_breaks_inside_the_challenge_message_are_read_and_shown_as_spaces()
    {
        var reply = ChallengeScriptParser.TryParse(Fixture("challenge-quirk-raw-newlines.txt"));

        // The whole message is read past its line breaks; like all portal text, it reaches the prompt on one line.
        Assert.Equal(
            new ServerReply.Challenge("Enter a passcode or select an option: 1 - Push 2 - Phone call or enter \"0\" to abort", "5ab8f3cd00000fe1"),
            reply);
    }

    [Fact]
    public void Json_escapes_in_the_challenge_message_are_decoded_and_broken_ones_kept_as_written()
    {
        var reply = Assert.IsType<ServerReply.Challenge>(ChallengeScriptParser.TryParse(Fixture("challenge-quirk-json-escapes.txt")));

        Assert.Equal("Code sent to \u2022\u2022\u2022 1234 \\uZZ12 / app", reply.Message);
        Assert.Equal("9f00aa00", reply.InputStr);
    }

    [Fact]
    public void Blank_prelogin_labels_fall_back_to_the_usual_ones()
    {
        var prelogin = PreloginParser.Parse(Fixture("prelogin-quirk-blank-labels.xml"));

        Assert.Equal(PreloginStatus.Success, prelogin.Status);
        Assert.Equal("Username", prelogin.UsernameLabel);
        Assert.Equal("Password", prelogin.PasswordLabel);
        Assert.Null(prelogin.AuthenticationMessage);
        Assert.Equal("DE", prelogin.Region);
    }

    [Fact]
    public void A_byte_order_mark_and_blank_lines_before_the_xml_declaration_are_skipped()
    {
        var prelogin = PreloginParser.Parse(Fixture("prelogin-quirk-bom-and-whitespace.xml"));

        Assert.Equal(PreloginStatus.Success, prelogin.Status);
        Assert.Equal("US", prelogin.Region);
    }

    [Fact]
    public void Invalid_authentication_cookie_is_a_refusal_with_the_servers_words()
    {
        var reply = ServerReplyReader.Read(200, Fixture("response-quirk-invalid-auth-cookie.xml"), "gateway login", "<jnlp>");

        Assert.Equal(new ServerReply.Refused("Invalid authentication cookie"), reply);
    }

    [Theory]
    [InlineData("<response status=\"error\"><error>Your account is locked: call the help desk</error></response>", "Your account is locked: call the help desk")]
    [InlineData("Gateway password required\r\n", "Gateway password required")]
    [InlineData("", "invalid username or password")]
    [InlineData("<html><body><p>Error</p></body></html>", "invalid username or password")]
    public void Http_512_carries_the_servers_own_message_when_it_sends_one(string body, string message)
    {
        Assert.Equal(new ServerReply.Refused(message), ServerReplyReader.Read(512, body, "gateway login", "<jnlp>"));
    }
}
