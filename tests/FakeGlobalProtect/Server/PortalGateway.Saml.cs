using FakeGlobalProtect.Http;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

// A stand-in identity provider: the page a browser ends on after SAML sign-in.
public sealed partial class PortalGateway
{
    private static string SamlLoginUrl(string host) => $"https://{host}{SamlLoginPath}?SAMLRequest=fake&RelayState=fake";

    /// <summary>
    /// Signs the configured user in at once and returns the result the way a portal's ACS page does:
    /// as headers and as tags in the HTML. The prelogin-cookie it issues replaces the password.
    /// </summary>
    private HandlerResult SamlIdentityProvider(HttpRequest request)
    {
        var cookie = NewSecret("prelogin-cookie");
        _preloginCookies[cookie] = _options.User;
        Emit("saml-idp", ("user", _options.User), ("host", HostOf(request)));
        return new ReplyResult(HttpResponse.Html(GlobalProtectXml.SamlResultPage(_options.User, cookie)) with
        {
            ExtraHeaders =
            [
                new("saml-auth-status", "1"),
                new("saml-username", _options.User),
                new("prelogin-cookie", cookie),
            ],
        });
    }
}
