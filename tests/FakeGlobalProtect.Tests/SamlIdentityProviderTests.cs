using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Server;
using FakeGlobalProtect.Tests.Support;

namespace FakeGlobalProtect.Tests;

/// <summary>The fake identity provider and the SAML scenarios, fed parsed requests directly (no sockets).</summary>
public sealed partial class SamlIdentityProviderTests
{
    private const string Host = "127.0.0.1:4443";
    private readonly RecordingEventSink _events = new();

    private PortalGateway Create(Scenario scenario) =>
        new(FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", "--scenario", ScenarioNames.ToName(scenario), "--password", "pw-Secret1"]),
            new IPEndPoint(IPAddress.Loopback, 4443), _events);

    private static HttpRequest Request(string method, string target, string body = "") =>
        new(method, target, "HTTP/1.1", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = Host },
            Encoding.UTF8.GetBytes(body));

    private static HttpResponse Reply(HandlerResult result) => Assert.IsType<ReplyResult>(result).Response;

    private static string Text(HandlerResult result) => Encoding.UTF8.GetString(Reply(result).Body);

    private static string SignIn(PortalGateway gateway, string password = "pw-Secret1") =>
        Text(gateway.Handle(Request("POST", PortalGateway.SamlLoginPath, $"username=test&password={password}")));

    private static string PortalForm(string extra) =>
        "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&user=test&passwd=" + extra;

    [Fact]
    public void The_form_then_a_wrong_password_then_the_callback_page()
    {
        var gateway = Create(Scenario.Saml);

        Assert.Contains("name=\"password\"", Text(gateway.Handle(Request("GET", PortalGateway.SamlLoginPath + "?SAMLRequest=fake"))));
        Assert.Contains("Invalid user name or password", SignIn(gateway, "wrong"));
        var page = SignIn(gateway);

        var data = CallbackLink().Match(page).Groups[1].Value;
        var document = Encoding.UTF8.GetString(Convert.FromBase64String(data));
        Assert.Contains("<saml-auth-status>1</saml-auth-status>", document);
        Assert.Equal(["form", "bad-password", "ok"], _events.Events.Where(e => e.Name == "saml-idp").Select(e => e["result"]));
    }

    [Fact]
    public void Prelogin_cookies_are_good_for_one_login()
    {
        var gateway = Create(Scenario.Saml);
        var cookie = PreloginCookie().Match(SignIn(gateway)).Groups[1].Value;

        Assert.Equal(200, Reply(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", PortalForm("&prelogin-cookie=" + cookie)))).Status);
        Assert.Equal(512, Reply(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", PortalForm("&prelogin-cookie=" + cookie)))).Status);
    }

    [Fact]
    public void Post_method_sends_a_form_to_the_identity_provider()
    {
        var prelogin = Text(Create(Scenario.SamlPost).Handle(Request("POST", "/global-protect/prelogin.esp")));

        Assert.Contains("<saml-auth-method>POST</saml-auth-method>", prelogin);
        Assert.Contains("<saml-request-timeout>600</saml-request-timeout>", prelogin);
        var request = Regex.Match(prelogin, "<saml-request>([^<]+)</saml-request>").Groups[1].Value;
        Assert.Contains($"action=\"https://{Host}{PortalGateway.SamlLoginPath}\"", Encoding.UTF8.GetString(Convert.FromBase64String(request)));
    }

    [Fact]
    public void Cas_and_header_forms()
    {
        Assert.Matches("globalprotectcallback:cas-as=1&amp;un=test&amp;token=[0-9a-f]{32}", SignIn(Create(Scenario.SamlCas)));

        var header = Create(Scenario.SamlHeader);
        var reply = Reply(header.Handle(Request("POST", PortalGateway.SamlLoginPath, "username=test&password=pw-Secret1")));
        Assert.DoesNotContain("globalprotectcallback:", Encoding.UTF8.GetString(reply.Body));
        Assert.Contains(reply.ExtraHeaders, h => h.Key == "saml-auth-status" && h.Value == "1");
    }

    [Fact]
    public void Saml_gateway_refuses_the_portal_cookie_and_expiry_refuses_a_saved_one()
    {
        var gateway = Create(Scenario.SamlGateway);
        var cookie = PreloginCookie().Match(SignIn(gateway)).Groups[1].Value;
        var policy = Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", PortalForm("&prelogin-cookie=" + cookie))));
        var portalCookie = Regex.Match(policy, "<portal-userauthcookie>([^<]+)<").Groups[1].Value;
        Assert.Equal(512, Reply(gateway.Handle(Request("POST", "/ssl-vpn/login.esp", PortalForm("&portal-userauthcookie=" + portalCookie)))).Status);

        var expiry = Create(Scenario.SamlExpiry);
        Assert.Equal(512, Reply(expiry.Handle(Request("POST", "/global-protect/getconfig.esp", PortalForm("&portal-userauthcookie=" + portalCookie)))).Status);
        Assert.Equal("cookie-expired", _events.Events.Last(e => e.Name == "login-failed")["reason"]);
    }

    [GeneratedRegex("window.location.href = \"globalprotectcallback:([^\"]+)\"")]
    private static partial Regex CallbackLink();

    [GeneratedRegex("<prelogin-cookie>([^<]+)</prelogin-cookie>")]
    private static partial Regex PreloginCookie();
}
