using System.Net;
using System.Text;
using System.Xml.Linq;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;
using FakeGlobalProtect.Server;
using FakeGlobalProtect.Tests.Support;

namespace FakeGlobalProtect.Tests;

/// <summary>The portal/gateway decisions, fed parsed requests directly (no sockets).</summary>
public sealed class PortalGatewayTests
{
    private const string Host = "127.0.0.1:4443";
    private readonly RecordingEventSink _events = new();

    private PortalGateway Create(Scenario scenario = Scenario.Password) =>
        new(FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", "--scenario", ScenarioNames.ToName(scenario), "--password", "pw-Secret1", "--otp", "424242"]),
            new IPEndPoint(IPAddress.Loopback, 4443), _events);

    private static HttpRequest Request(string method, string target, string body = "", string? host = Host)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (host is not null)
        {
            headers["Host"] = host;
        }

        return new HttpRequest(method, target, "HTTP/1.1", headers, Encoding.UTF8.GetBytes(body));
    }

    private static HttpResponse Reply(HandlerResult result) => Assert.IsType<ReplyResult>(result).Response;

    private static string Text(HandlerResult result) => Encoding.UTF8.GetString(Reply(result).Body);

    private static string LoginBody(string password, string extra = "") =>
        "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&prot=https:&clientos=Linux&server=127.0.0.1&computer=vm"
        + extra + "&user=test&passwd=" + Uri.EscapeDataString(password);

    /// <summary>Logs in at the gateway and returns the session's cookie fields as openconnect sends them.</summary>
    private static string SessionFields(PortalGateway gateway, string host = Host)
    {
        var jnlp = XDocument.Parse(Text(gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("pw-Secret1"), host))));
        var arguments = jnlp.Root!.Element("application-desc")!.Elements("argument").Select(a => a.Value).ToList();
        return $"authcookie={arguments[1]}&portal={arguments[3]}&user={arguments[4]}&domain=x&computer=vm";
    }

    [Fact]
    public void Password_flow_issues_a_session_that_getconfig_hip_and_the_tunnel_accept()
    {
        var gateway = Create();
        Assert.Contains("<status>Success</status>", Text(gateway.Handle(Request("POST", "/global-protect/prelogin.esp?tmp=tmp"))), StringComparison.Ordinal);
        var policy = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))))).Root!;
        Assert.Equal(Host, policy.Descendants("entry").First().Attribute("name")!.Value);

        var session = SessionFields(gateway);
        var config = XDocument.Parse(Text(gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", "client-type=1&" + session)))).Root!;
        var hip = Text(gateway.Handle(Request("POST", "/ssl-vpn/hipreportcheck.esp", "client-role=global-protect-full&" + session)));
        var cookie = session.Split('&')[0];
        var tunnel = gateway.Handle(Request("GET", $"/ssl-tunnel-connect.sslvpn?user=test&{cookie}", host: null));

        Assert.Equal("10.99.0.2", config.Element("ip-address")!.Value);
        Assert.Contains("<hip-report-needed>no</hip-report-needed>", hip, StringComparison.Ordinal);
        Assert.Equal("test", Assert.IsType<TunnelResult>(tunnel).Session.User);
    }

    [Fact]
    public void Hip_required_asks_for_a_report_until_a_valid_one_for_the_session_arrives()
    {
        var gateway = new PortalGateway(
            FakeOptionsParser.Parse(["--listen", "127.0.0.1:0", "--password", "pw-Secret1", "--hip-required"]),
            new IPEndPoint(IPAddress.Loopback, 4443), _events);
        var session = SessionFields(gateway);
        string Check() => Text(gateway.Handle(Request("POST", "/ssl-vpn/hipreportcheck.esp",
            "client-role=global-protect-full&" + session + "&client-ip=10.99.0.2&md5=0123456789abcdef0123456789abcdef")));
        string Report(string document) => Text(gateway.Handle(Request("POST", "/ssl-vpn/hipreport.esp",
            "client-role=global-protect-full&" + session + "&client-ip=10.99.0.2&report=" + Uri.EscapeDataString(document))));

        Assert.Contains("<hip-report-needed>yes</hip-report-needed>", Check(), StringComparison.Ordinal);
        Assert.Contains("error", Report("<hip-report><user-name>someone-else</user-name><ip-address>10.99.0.2</ip-address></hip-report>"), StringComparison.Ordinal);
        Assert.Contains("<hip-report-needed>yes</hip-report-needed>", Check(), StringComparison.Ordinal);
        Assert.Contains("success", Report(
            "<hip-report><md5-sum>0123456789abcdef0123456789abcdef</md5-sum><user-name>test</user-name><host-name>vm</host-name><ip-address>10.99.0.2</ip-address></hip-report>"),
            StringComparison.Ordinal);
        Assert.Contains("<hip-report-needed>no</hip-report-needed>", Check(), StringComparison.Ordinal);
        var reports = _events.Named("hipreport");
        Assert.Equal(["invalid-report", "ok"], reports.Select(e => e["result"]));
        Assert.Equal("0123456789abcdef0123456789abcdef", reports[1]["md5"]);
        Assert.Equal(["yes", "yes", "no"], _events.Named("hipreportcheck").Select(e => e["hip-report-needed"]));
    }

    [Fact]
    public void Unknown_cookies_get_the_exact_error_body_and_a_502_tunnel()
    {
        var gateway = Create();
        SessionFields(gateway);

        var config = gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", "authcookie=0123&user=test&portal=fake-gateway"));
        var tunnel = Assert.IsType<ReplyResult>(gateway.Handle(Request("GET", "/ssl-tunnel-connect.sslvpn?user=test&authcookie=0123", host: null)));

        Assert.Equal(200, Reply(config).Status);
        Assert.Equal("errors getting SSL/VPN config", Text(config));
        Assert.Equal(502, tunnel.Response.Status);
        Assert.True(tunnel.Close);
    }

    [Fact]
    public void A_cookie_keeps_its_ip_across_reconnects_until_logout()
    {
        var gateway = Create();
        var session = SessionFields(gateway);

        var first = Text(gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", session)));
        var second = Text(gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", "preferred-ip=10.99.0.2&" + session)));
        var logout = Text(gateway.Handle(Request("POST", "/ssl-vpn/logout.esp", session)));
        var after = Text(gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", session)));

        Assert.Contains("<ip-address>10.99.0.2</ip-address>", first, StringComparison.Ordinal);
        Assert.Contains("<ip-address>10.99.0.2</ip-address>", second, StringComparison.Ordinal);
        Assert.Contains("status=\"success\"", logout, StringComparison.Ordinal);
        Assert.Equal("errors getting SSL/VPN config", after);
    }

    [Fact]
    public void Wrong_password_and_wrong_user_get_512()
    {
        var gateway = Create();

        var portal = gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("nope")));
        var login = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("pw-Secret1").Replace("user=test", "user=mallory", StringComparison.Ordinal)));

        Assert.Equal(512, Reply(portal).Status);
        Assert.Equal(512, Reply(login).Status);
        Assert.Equal(["bad-password", "unknown-user"], _events.Named("login-failed").Select(e => e["reason"]));
    }

    [Fact]
    public void Status_error_scenario_refuses_with_an_error_document()
    {
        var gateway = Create(Scenario.StatusError);

        var result = gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("nope")));

        Assert.Equal(200, Reply(result).Status);
        var root = XDocument.Parse(Text(result)).Root!;
        Assert.Equal("error", root.Attribute("status")!.Value);
        Assert.Contains("Invalid username or password", root.Element("error")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Portal_mfa_challenge_is_answered_once_with_the_otp()
    {
        var gateway = Create(Scenario.PortalMfa);

        var challenge = Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))));
        var inputStr = challenge.Split('\n')[2].Split('"')[1];
        var wrong = gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("000000", "&inputStr=" + inputStr)));
        var replay = gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("424242", "&inputStr=" + inputStr)));

        Assert.StartsWith("var respStatus = \"Challenge\";", challenge, StringComparison.Ordinal);
        Assert.Equal(512, Reply(wrong).Status);
        Assert.Equal(512, Reply(replay).Status); // a challenge is used up by the first answer

        var fresh = Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))));
        var freshInput = fresh.Split('\n')[2].Split('"')[1];
        var policy = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("424242", "&inputStr=" + freshInput))))).Root!;
        var cookie = policy.Element("portal-userauthcookie")!.Value;
        Assert.NotEqual("empty", cookie);

        var login = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("", "&portal-userauthcookie=" + cookie)));
        Assert.Equal("jnlp", XDocument.Parse(Text(login)).Root!.Name.LocalName);
        Assert.Equal("portal-cookie", _events.Named("gateway-login").Single()["auth"]);
    }

    [Fact]
    public void Gateway_mfa_answers_an_xml_challenge()
    {
        var gateway = Create(Scenario.GatewayMfa);

        var challenge = XDocument.Parse(Text(gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("pw-Secret1"))))).Root!;
        var inputStr = challenge.Element("inputstr")!.Value;
        var login = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("424242", "&inputStr=" + inputStr)));

        Assert.Equal("challenge", challenge.Name.LocalName);
        Assert.Equal("test", challenge.Element("user")!.Value);
        Assert.Equal("jnlp", XDocument.Parse(Text(login)).Root!.Name.LocalName);
    }

    [Fact]
    public void Portal_cookie_replaces_the_password_only_if_the_portal_issued_it()
    {
        var gateway = Create(Scenario.PortalCookie);
        var policy = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))))).Root!;
        var cookie = policy.Element("portal-userauthcookie")!.Value;

        var forged = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("", "&portal-userauthcookie=forged")));
        var good = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("", "&portal-userauthcookie=" + cookie)));

        Assert.Equal(512, Reply(forged).Status);
        Assert.Equal(200, Reply(good).Status);
    }

    [Fact]
    public void Gateway_rejects_the_portal_cookie_until_the_gateway_prelogin()
    {
        var gateway = Create(Scenario.GatewayRejectsCookie);
        var policy = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))))).Root!;
        var cookie = "&portal-userauthcookie=" + policy.Element("portal-userauthcookie")!.Value;

        var first = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("pw-Secret1", cookie)));
        gateway.Handle(Request("POST", "/ssl-vpn/prelogin.esp?tmp=tmp"));
        var cookieOnly = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("", cookie)));
        var withPassword = gateway.Handle(Request("POST", "/ssl-vpn/login.esp", LoginBody("pw-Secret1", cookie)));

        Assert.Equal(512, Reply(first).Status);
        Assert.Equal(512, Reply(cookieOnly).Status);
        Assert.Equal(200, Reply(withPassword).Status);
        Assert.Equal(["cookie-rejected", "bad-password"], _events.Named("login-failed").Select(e => e["reason"]));
    }

    [Theory]
    [InlineData("localhost:4443", "Europe")]
    [InlineData("[::ffff:127.0.0.1]:4443", "US West")]
    [InlineData("127.0.0.1:4443", "US East")]
    [InlineData("elsewhere:1", "unknown")]
    public void Multi_gateway_tells_gateways_apart_by_host(string host, string description)
    {
        var gateway = Create(Scenario.MultiGateway);

        SessionFields(gateway, host);

        Assert.Equal(description, _events.Named("gateway-login").Single()["gateway"]);
    }

    [Fact]
    public void Multi_gateway_lists_three_gateways_whose_region_winner_is_neither_first_nor_lowest_priority()
    {
        var gateway = Create(Scenario.MultiGateway);

        var entries = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1")))))
            .Root!.Element("gateways")!.Descendants("list").Single().Elements("entry").ToList();

        Assert.Equal(["localhost:4443", "[::ffff:127.0.0.1]:4443", "127.0.0.1:4443"], entries.Select(e => e.Attribute("name")!.Value));
        Assert.Equal(["Europe", "US West", "US East"], entries.Select(e => e.Element("description")!.Value));
        Assert.Equal("US East", Winner(entries, "US"));
        Assert.Equal("Europe", Winner(entries, "DE"));
        Assert.Equal("US West", Winner(entries, "JP"));

        static string Winner(List<XElement> entries, string region) =>
            entries.MinBy(e =>
            {
                var rules = e.Element("priority-rule")!.Elements("entry").ToDictionary(r => r.Attribute("name")!.Value, r => int.Parse(r.Element("priority")!.Value, System.Globalization.CultureInfo.InvariantCulture));
                return rules.TryGetValue(region, out var p) ? p : rules.GetValueOrDefault("Any", int.MaxValue);
            })!.Element("description")!.Value;
    }

    [Fact]
    public void Failure_scenarios_answer_as_documented()
    {
        Assert.IsType<NoReplyResult>(Create(Scenario.Hang).Handle(Request("POST", "/global-protect/prelogin.esp")));
        Assert.Equal(500, Reply(Create(Scenario.Http500).Handle(Request("POST", "/global-protect/prelogin.esp"))).Status);
        Assert.Contains("GlobalProtect portal does not exist", Text(Create(Scenario.GatewayOnly).Handle(Request("POST", "/global-protect/prelogin.esp"))), StringComparison.Ordinal);
        Assert.Contains("<saml-auth-method>REDIRECT</saml-auth-method>", Text(Create(Scenario.Saml).Handle(Request("POST", "/ssl-vpn/prelogin.esp"))), StringComparison.Ordinal);
        Assert.Equal(404, Reply(Create().Handle(Request("GET", "/nothing-here"))).Status);
        Assert.Equal(404, Reply(Create().Handle(Request("GET", "/fake-idp/login"))).Status);
    }

    [Fact]
    public void Events_never_contain_passwords_otps_or_cookies()
    {
        var gateway = Create(Scenario.PortalMfa);
        var challenge = Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("pw-Secret1"))));
        var inputStr = challenge.Split('\n')[2].Split('"')[1];
        var policy = XDocument.Parse(Text(gateway.Handle(Request("POST", "/global-protect/getconfig.esp", LoginBody("424242", "&inputStr=" + inputStr))))).Root!;
        var portalCookie = policy.Element("portal-userauthcookie")!.Value;
        var session = SessionFields(gateway);
        gateway.Handle(Request("POST", "/ssl-vpn/getconfig.esp", session));
        gateway.Handle(Request("POST", "/ssl-vpn/logout.esp", session));
        var authCookie = session.Split('&')[0]["authcookie=".Length..];

        var all = string.Join("\n", _events.Events.Select(e => e.Format()));

        Assert.Contains("event logout", all, StringComparison.Ordinal);
        foreach (var secret in new[] { "pw-Secret1", "424242", inputStr, portalCookie, authCookie })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }
}
