using System.Net;
using System.Text;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

// A stand-in identity provider: a login form, then the page a portal's SAML endpoint ends on.
public sealed partial class PortalGateway
{
    private bool IsSaml => _options.Scenario is Scenario.Saml or Scenario.SamlPost or Scenario.SamlGateway
        or Scenario.SamlCas or Scenario.SamlHeader or Scenario.SamlExpiry;

    private static string SamlLoginUrl(string host) => $"https://{host}{SamlLoginPath}?SAMLRequest=fake&RelayState=fake";

    /// <summary>REDIRECT: the identity provider's URL; saml-post: a page whose form the browser must submit there.</summary>
    private string SamlPrelogin(string host) => _options.Scenario == Scenario.SamlPost
        ? GlobalProtectXml.PreloginSaml(_options.Region, GlobalProtectXml.SamlPostForm($"https://{host}{SamlLoginPath}"), "POST")
        : GlobalProtectXml.PreloginSaml(_options.Region, SamlLoginUrl(host));

    /// <summary>
    /// GET (REDIRECT) or a POST without credentials (the POST method's form): the login form. A POST with
    /// <c>username</c> and <c>password</c>: a wrong pair gets the form again with an error; the right pair gets the
    /// result page, which sends the browser to <c>globalprotectcallback:</c> (base64 document, or the CAS form in
    /// saml-cas) and carries the result as headers and HTML comment tags too (saml-header: only those).
    /// </summary>
    private HandlerResult SamlIdentityProvider(HttpRequest request)
    {
        var host = HostOf(request);
        var form = request.Method == "POST" ? request.Form : FormData.Empty;
        var user = form["username"];
        if (user is null)
        {
            Emit("saml-idp", ("host", host), ("result", "form"));
            return new ReplyResult(HttpResponse.Html(GlobalProtectXml.SamlLoginForm(SamlLoginPath, error: null)));
        }

        if (user != _options.User || form["password"] != _options.Password)
        {
            Emit("saml-idp", ("user", user), ("host", host), ("result", "bad-password"));
            return new ReplyResult(HttpResponse.Html(GlobalProtectXml.SamlLoginForm(SamlLoginPath, "Invalid user name or password.")));
        }

        var cookie = NewSecret("prelogin-cookie");
        _preloginCookies[cookie] = _options.User;
        var callback = _options.Scenario switch
        {
            Scenario.SamlHeader => null,
            Scenario.SamlCas => $"globalprotectcallback:cas-as=1&un={WebUtility.UrlEncode(_options.User)}&token={cookie}",
            _ => "globalprotectcallback:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(GlobalProtectXml.SamlResultPage(_options.User, cookie))),
        };
        Emit("saml-idp", ("user", _options.User), ("host", host), ("result", "ok"),
            ("callback", _options.Scenario switch { Scenario.SamlHeader => "none", Scenario.SamlCas => "cas", _ => "base64" }));
        return new ReplyResult(HttpResponse.Html(GlobalProtectXml.SamlResultPage(_options.User, cookie, callback)) with
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
