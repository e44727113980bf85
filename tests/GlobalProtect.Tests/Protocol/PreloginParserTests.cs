using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

public sealed class PreloginParserTests
{
    [Fact]
    public void Reads_labels_message_and_region()
    {
        var prelogin = PreloginParser.Parse(Gp.Prelogin(region: "DE", usernameLabel: "Login", passwordLabel: "PIN + Token"));

        Assert.Equal(PreloginStatus.Success, prelogin.Status);
        Assert.Equal("Enter login credentials", prelogin.AuthenticationMessage);
        Assert.Equal("Login", prelogin.UsernameLabel);
        Assert.Equal("PIN + Token", prelogin.PasswordLabel);
        Assert.Equal("DE", prelogin.Region);
        Assert.Null(prelogin.Saml);
    }

    [Fact]
    public void Labels_and_messages_are_made_safe_where_they_are_read()
    {
        var prelogin = PreloginParser.Parse(Gp.Prelogin(usernameLabel: "Login\u202e", passwordLabel: "PIN\u009b2J\nINFO forged"));

        Assert.Equal("Login\\u202E", prelogin.UsernameLabel);
        Assert.Equal("PIN\\x9B2J INFO forged", prelogin.PasswordLabel);
    }

    [Fact]
    public void Missing_optional_elements_get_defaults()
    {
        var prelogin = PreloginParser.Parse("<prelogin-response><status>success</status></prelogin-response>");

        Assert.Equal(PreloginStatus.Success, prelogin.Status);
        Assert.Equal("Username", prelogin.UsernameLabel);
        Assert.Equal("Password", prelogin.PasswordLabel);
        Assert.Null(prelogin.Region);
        Assert.Null(prelogin.AuthenticationMessage);
    }

    [Fact]
    public void Missing_status_counts_as_success_and_unknown_elements_are_ignored()
    {
        var prelogin = PreloginParser.Parse(
            "<prelogin-response><something-new a=\"1\"><x/></something-new><region>JP</region></prelogin-response>");

        Assert.Equal(PreloginStatus.Success, prelogin.Status);
        Assert.Equal("JP", prelogin.Region);
    }

    [Fact]
    public void Leading_whitespace_and_byte_order_mark_before_the_declaration_are_accepted()
    {
        var prelogin = PreloginParser.Parse("\uFEFF\r\n  " + Gp.Prelogin(region: "FR"));

        Assert.Equal("FR", prelogin.Region);
    }

    [Fact]
    public void Saml_redirect_is_a_typed_result_with_the_decoded_url()
    {
        var request = Convert.ToBase64String("https://idp.example.com/sso?x=1"u8.ToArray());

        var prelogin = PreloginParser.Parse(Gp.Prelogin(samlMethod: "REDIRECT", samlRequest: request));

        Assert.NotNull(prelogin.Saml);
        Assert.Equal(SamlMethod.Redirect, prelogin.Saml.Method);
        Assert.Equal("https://idp.example.com/sso?x=1", prelogin.Saml.Request);
    }

    [Fact]
    public void Saml_post_without_request_and_undecodable_request_are_still_saml()
    {
        Assert.Equal(SamlMethod.Post, PreloginParser.Parse(Gp.Prelogin(samlMethod: "POST")).Saml?.Method);

        var raw = PreloginParser.Parse(Gp.Prelogin(samlRequest: "not base64 at all!"));
        Assert.Equal(SamlMethod.Unknown, raw.Saml?.Method);
        Assert.Equal("not base64 at all!", raw.Saml?.Request);
    }

    [Fact]
    public void Empty_saml_elements_do_not_mean_saml()
    {
        var prelogin = PreloginParser.Parse(
            "<prelogin-response><status>Success</status><saml-auth-method/><saml-request></saml-request></prelogin-response>");

        Assert.Null(prelogin.Saml);
    }

    [Theory]
    [InlineData("GlobalProtect portal does not exist", nameof(PreloginStatus.PortalNotFound))]
    [InlineData("GlobalProtect gateway does not exist", nameof(PreloginStatus.GatewayNotFound))]
    [InlineData("Clients from this OS are not allowed", nameof(PreloginStatus.Error))]
    public void Error_status_is_classified_with_its_message(string message, string expected)
    {
        var prelogin = PreloginParser.Parse(Gp.PreloginError(message));

        Assert.Equal(expected, prelogin.Status.ToString());
        Assert.Equal(message, prelogin.Message);
    }

    [Fact]
    public void Generic_error_document_is_an_error()
    {
        var prelogin = PreloginParser.Parse(Gp.Error("GlobalProtect portal does not exist"));

        Assert.Equal(PreloginStatus.PortalNotFound, prelogin.Status);
    }

    [Fact]
    public void Unexpected_root_is_named()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => PreloginParser.Parse("<html><body>Login</body></html>", "portal prelogin"));

        Assert.Equal("portal prelogin: expected <prelogin-response>, got <html>", ex.Message);
    }

    [Theory]
    [InlineData("<prelogin-response><status>Success</status><region>US")]
    [InlineData("<prelogin-response><status>Success</stat></prelogin-response>")]
    [InlineData("Service Unavailable")]
    public void Malformed_or_truncated_xml_names_what_was_expected(string body)
    {
        var ex = Assert.Throws<GlobalProtectException>(() => PreloginParser.Parse(body, "portal prelogin"));

        Assert.StartsWith("portal prelogin: malformed XML where <prelogin-response> was expected", ex.Message);
    }

    [Fact]
    public void Empty_body_is_an_error()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => PreloginParser.Parse("  ", "gateway prelogin"));

        Assert.Contains("gateway prelogin: empty response", ex.Message);
    }

    [Fact]
    public void Document_type_definitions_are_refused()
    {
        const string body = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <prelogin-response><region>&x;</region></prelogin-response>
            """;

        Assert.Throws<GlobalProtectException>(() => PreloginParser.Parse(body));
    }
}
