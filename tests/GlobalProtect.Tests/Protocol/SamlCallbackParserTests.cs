using System.Text;
using GlobalProtect.Protocol;

namespace GlobalProtect.Tests.Protocol;

public sealed class SamlCallbackParserTests
{
    private const string Cookie = "Pre1oginC00kie/+=abc";

    private static string Document(string status = "1", string? user = "alice", string? prelogin = Cookie, string? portal = null) =>
        "<html><!-- <saml-auth-status>" + status + "</saml-auth-status>" +
        (user is null ? "" : $"<saml-username>{user}</saml-username>") +
        (prelogin is null ? "" : $"<prelogin-cookie>{prelogin}</prelogin-cookie>") +
        (portal is null ? "" : $"<portal-userauthcookie>{portal}</portal-userauthcookie>") +
        "<saml-slo>no</saml-slo> --></html>";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("globalprotectcallback:")]
    [InlineData("globalprotectcallback:/")]
    [InlineData("globalprotectcallback://")]
    [InlineData("GlobalProtectCallback:")]
    public void Base64_document_after_the_scheme_with_or_without_slashes(string prefix)
    {
        var result = SamlCallbackParser.Parse(prefix + Base64(Document()));

        Assert.Equal(new SamlResult("alice", Cookie, null), result);
    }

    [Fact]
    public void Percent_encoded_and_url_safe_unpadded_base64_are_read()
    {
        var base64 = Base64(Document(portal: "PortalCookie99"));
        var urlSafe = base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(new SamlResult("alice", Cookie, "PortalCookie99"), SamlCallbackParser.Parse("globalprotectcallback:" + urlSafe));
        Assert.Equal(new SamlResult("alice", Cookie, "PortalCookie99"),
            SamlCallbackParser.Parse("globalprotectcallback:" + Uri.EscapeDataString(base64)));
    }

    [Theory]
    [InlineData("globalprotectcallback:cas-as=1&un=alice%40example.com&token=TOKEN-1234")]
    [InlineData("globalprotectcallback:/cas-as%3D1%26un%3Dalice%2540example.com%26token%3DTOKEN-1234")]
    [InlineData("cas-as=1&un=alice%40example.com&token=TOKEN-1234")]
    public void Cas_form_gives_the_user_and_the_token_as_prelogin_cookie(string text)
    {
        Assert.Equal(new SamlResult("alice@example.com", "TOKEN-1234", null), SamlCallbackParser.Parse(text));
    }

    [Fact]
    public void Final_page_html_and_headers_are_read()
    {
        Assert.Equal(new SamlResult("alice", Cookie, null), SamlCallbackParser.Parse(Document()));

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["saml-auth-status"] = "1",
            ["saml-username"] = "bob",
            ["portal-userauthcookie"] = "HeaderCookie1",
        };
        Assert.Equal(new SamlResult("bob", null, "HeaderCookie1"),
            SamlCallbackParser.FromHeaders(name => headers.GetValueOrDefault(name)));
        Assert.Null(SamlCallbackParser.FromHeaders(_ => null));
    }

    [Fact]
    public void A_bare_cookie_is_a_prelogin_cookie_without_a_user()
    {
        Assert.Equal(new SamlResult(null, "AbCdEf0123456789", null), SamlCallbackParser.Parse("  AbCdEf0123456789\n"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("yes")]
    public void A_failed_status_is_an_authentication_failure_that_quotes_no_cookie(string status)
    {
        var ex = Assert.Throws<AuthenticationFailedException>(() =>
            SamlCallbackParser.Parse("globalprotectcallback:" + Base64(Document(status))));

        Assert.Contains($"saml-auth-status {status}", ex.Message);
        Assert.DoesNotContain(Cookie, ex.Message);
        Assert.Throws<AuthenticationFailedException>(() => SamlCallbackParser.Parse("cas-as=0&un=alice&token=TOKEN-1234"));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("ab")]
    [InlineData("")]
    public void Empty_or_placeholder_cookies_are_no_cookie(string cookie)
    {
        var ex = Assert.Throws<AuthenticationFailedException>(() => SamlCallbackParser.Parse(Document(prelogin: cookie)));

        Assert.Contains("carries no cookie", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello world")]
    [InlineData("globalprotectcallback:")]
    [InlineData("globalprotectcallback:!!!not base64!!!")]
    [InlineData("globalprotectcallback:" + "aGVsbG8gd29ybGQ=")]
    [InlineData("<html>no result here</html>")]
    [InlineData("https://idp.example.com/sso")]
    public void Garbage_is_refused_with_a_message_saying_what_to_paste(string text)
    {
        var ex = Assert.Throws<GlobalProtectException>(() => SamlCallbackParser.Parse(text));

        Assert.StartsWith("the sign-in result was not accepted: ", ex.Message);
        Assert.EndsWith("try again", ex.Message);
    }

    [Fact]
    public void A_cookie_with_markup_or_control_characters_is_refused_without_being_quoted()
    {
        var ex = Assert.Throws<GlobalProtectException>(() => SamlCallbackParser.Parse(Document(prelogin: "abc\u0001secret\"def")));

        Assert.DoesNotContain("secret", ex.Message);
    }

    [Fact]
    public void Oversized_input_is_refused_before_it_is_read()
    {
        var ex = Assert.Throws<GlobalProtectException>(() =>
            SamlCallbackParser.Parse("globalprotectcallback:" + new string('A', SamlCallbackParser.MaxInputChars)));

        Assert.Contains("longer than", ex.Message);
    }

    [Fact]
    public void User_names_are_bounded_and_stripped_of_control_characters()
    {
        var result = SamlCallbackParser.Parse(Document(user: "al\u001bice" + new string('x', 1000)));

        Assert.StartsWith("al?ice", result.User);
        Assert.Equal(256, result.User!.Length);
    }

    [Fact]
    public void Random_and_mutated_input_gives_a_result_or_a_GlobalProtectException()
    {
        var random = new Random(12);
        string[] seeds =
        [
            "globalprotectcallback:" + Base64(Document()),
            "globalprotectcallback:cas-as=1&un=alice&token=TOKEN-1234",
            Document(portal: "PortalCookie99"),
        ];
        const string alphabet = "<>/=&%+-_:!\"' \u0000\u001f\u00e9\ud800abcAB019";
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder(seeds[i % seeds.Length]);
            for (var edits = random.Next(1, 8); edits > 0 && text.Length > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }

            try
            {
                var result = SamlCallbackParser.Parse(text.ToString());
                Assert.True(result.PreloginCookie is not null || result.PortalUserAuthCookie is not null);
            }
            catch (GlobalProtectException)
            {
            }
        }
    }

    [Fact]
    public void Problem_is_null_for_a_usable_result_and_a_sentence_otherwise()
    {
        Assert.Null(SamlCallback.Problem("globalprotectcallback:" + Base64(Document())));
        Assert.Contains("not accepted", SamlCallback.Problem("garbage here"));
    }
}
