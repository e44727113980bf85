using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace FakeGlobalProtect.Protocol;

/// <summary>Builds the documents a GlobalProtect portal and gateway answer with (wire format of PAN-OS).</summary>
public static class GlobalProtectXml
{
    public const string PortalDoesNotExist = "GlobalProtect portal does not exist";
    public const string SslVpnConfigError = "errors getting SSL/VPN config";

    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n";

    /// <summary>
    /// What the hostile-text scenario puts in labels and names: a line break that starts a forged log line, the 8-bit
    /// CSI (C1, legal in XML where ESC is not) and a right-to-left override.
    /// </summary>
    public const string HostileXmlText = "\u009b2J\u202eevil\u202c\nINJECTED line from the portal";

    /// <summary>The same for the JavaScript-like replies, which can carry ESC itself (as \u001b).</summary>
    public const string HostileScriptText = "\\u001b[2J\\u001b[HEnter the code\\r\\nINJECTED line from the portal";

    public static string PreloginSuccess(string region, string passwordLabel = "Password") =>
        Document(new XElement("prelogin-response",
            new XElement("status", "Success"),
            new XElement("ccusername", ""),
            new XElement("autosubmit", "false"),
            new XElement("msg", ""),
            new XElement("newmsg", ""),
            new XElement("authentication-message", "Enter login credentials"),
            new XElement("username-label", "Username"),
            new XElement("password-label", passwordLabel),
            new XElement("panos-version", "1"),
            new XElement("region", region)));

    /// <summary>
    /// A prelogin that asks for SAML; <paramref name="request"/> (the URL for REDIRECT, the HTML form for POST) goes
    /// base64-encoded in saml-request.
    /// </summary>
    public static string PreloginSaml(string region, string request, string method = "REDIRECT") =>
        Document(new XElement("prelogin-response",
            new XElement("status", "Success"),
            new XElement("ccusername", ""),
            new XElement("autosubmit", "false"),
            new XElement("msg", ""),
            new XElement("newmsg", ""),
            new XElement("saml-default-browser", "yes"),
            new XElement("saml-auth-status", "0"),
            new XElement("saml-auth-method", method),
            new XElement("saml-request", Convert.ToBase64String(Encoding.UTF8.GetBytes(request))),
            new XElement("saml-request-timeout", "600"),
            new XElement("saml-client-lifetime", "0"),
            new XElement("region", region)));

    public static string PreloginError(string message) =>
        Document(new XElement("prelogin-response",
            new XElement("status", "Error"),
            new XElement("msg", message)));

    public static string PortalPolicy(string portalName, IReadOnlyList<GatewayEntry> gateways, string? portalUserAuthCookie) =>
        Document(new XElement("policy",
            new XElement("portal-name", portalName),
            new XElement("portal-config-version", "4100"),
            new XElement("version", "6.0.1-19"),
            new XElement("client-role", "global-protect-full"),
            new XElement("agent-user-override-key", "****"),
            new XElement("root-ca"),
            new XElement("connect-method", "user-logon"),
            new XElement("pre-logon-then-on-demand", "no"),
            new XElement("refresh-config", "yes"),
            new XElement("refresh-config-interval", "24"),
            new XElement("authentication-modifier",
                new XElement("none")),
            new XElement("authentication-override",
                new XElement("accept-cookie", "yes"),
                new XElement("generate-cookie", "yes"),
                new XElement("cookie-lifetime",
                    new XElement("lifetime-in-days", "1"))),
            new XElement("use-sso", "no"),
            new XElement("gateways",
                new XElement("cutoff-time", "5"),
                new XElement("external",
                    new XElement("list", gateways.Select(GatewayElement)))),
            new XElement("hip-collection",
                new XElement("hip-report-interval", "3600"),
                new XElement("max-wait-time", "20")),
            new XElement("portal-userauthcookie", portalUserAuthCookie ?? "empty"),
            new XElement("portal-prelogonuserauthcookie", "empty")));

    /// <summary>A well-formed prelogin whose message is <paramref name="depth"/> nested elements: hostile by its shape alone.</summary>
    public static string DeeplyNestedPrelogin(int depth)
    {
        var xml = new StringBuilder(Declaration, Declaration.Length + 100 + (depth * 7));
        xml.Append("<prelogin-response><status>Success</status><msg>");
        for (var i = 0; i < depth; i++)
        {
            xml.Append("<a>");
        }

        xml.Append("deep");
        for (var i = 0; i < depth; i++)
        {
            xml.Append("</a>");
        }

        xml.Append("</msg><region>US</region></prelogin-response>\n");
        return xml.ToString();
    }

    /// <summary>A portal configuration cut off in the middle of an element: not well-formed XML.</summary>
    public static string MalformedPolicy(string gatewayAddress) =>
        Declaration + "<policy>\n  <portal-name>fake-portal</portal-name>\n  <gateways>\n    <external>\n      <list>\n"
        + $"        <entry name=\"{new XText(gatewayAddress)}\">\n          <description>Fake Gateway</descr";

    public static string Jnlp(JnlpArguments arguments)
    {
        // Positional: openconnect and the official client read each argument by its index.
        string[] values =
        [
            "(null)",
            arguments.AuthCookie,
            arguments.PersistentCookie,
            arguments.Portal,
            arguments.User,
            "LDAP-auth",
            "vsys1",
            "%28empty_domain%29",
            "(null)",
            "",
            "",
            "",
            "tunnel",
            "-1",
            "4100",
            arguments.PreferredIp,
            "", // portal-userauthcookie: left empty, openconnect prints this argument in its log
            "",
            "",
            "4",
            "unknown",
        ];
        return Document(new XElement("jnlp",
            new XElement("application-desc", values.Select(v => new XElement("argument", v)))));
    }

    /// <summary>The JavaScript-like challenge: one statement a line, each ending in <c>";</c>.</summary>
    public static string JavaScriptChallenge(string message, string inputStr) =>
        $"var respStatus = \"Challenge\";\nvar respMsg = \"{message}\";\nthisForm.inputStr.value = \"{inputStr}\";\n";

    /// <summary>A JavaScript-like refusal whose message is <paramref name="message"/> (already escaped) and <paramref name="fillerBytes"/> more.</summary>
    public static string JavaScriptError(string message, int fillerBytes) =>
        $"var respStatus = \"Error\";\nvar respMsg = \"{message}{new string('x', fillerBytes)}\";\nthisForm.inputStr.value = \"\";\n";

    public static string XmlChallenge(string user, string inputStr, string message) =>
        Document(new XElement("challenge",
            new XElement("user", user),
            new XElement("inputstr", inputStr),
            new XElement("respmsg", message)));

    public static string StatusError(string message) =>
        Document(new XElement("response", new XAttribute("status", "error"),
            new XElement("error", message)));

    public static string StatusSuccess() =>
        Document(new XElement("response", new XAttribute("status", "success")));

    public static string HipReportCheck(bool needed) =>
        Document(new XElement("response", new XAttribute("status", "success"),
            new XElement("hip-report-needed", needed ? "yes" : "no")));

    public static string SslVpnConfig(GatewayConfig config) =>
        Document(new XElement("response", new XAttribute("status", "success"),
            new XElement("need-tunnel", "yes"),
            new XElement("ssl-tunnel-url", config.TunnelPath),
            new XElement("portal", config.Portal),
            new XElement("user", config.User),
            new XElement("lifetime", "86400"),
            new XElement("timeout", "10800"),
            new XElement("disconnect-on-idle", "10800"),
            new XElement("bw-c2s", "1000"),
            new XElement("bw-s2c", "1000"),
            new XElement("ip-address", config.Ip),
            new XElement("netmask", config.Netmask),
            new XElement("ip-address-preferred", "yes"),
            new XElement("mtu", config.Mtu.ToString(CultureInfo.InvariantCulture)),
            new XElement("dns", config.Dns.Select(d => new XElement("member", d))),
            config.DnsSuffixes is { Count: > 0 } suffixes ? new XElement("dns-suffix", suffixes.Select(d => new XElement("member", d))) : null,
            new XElement("wins"),
            new XElement("default-gateway", config.GatewaySideAddress),
            new XElement("no-direct-access-to-local-network", "no"),
            new XElement("access-routes", config.Routes.Select(r => new XElement("member", r))),
            new XElement("exclude-access-routes")));

    /// <summary>
    /// The page the fake identity provider ends on, like a portal's ACS page: the SAML result as tags in a comment and,
    /// when <paramref name="callback"/> is given, a redirect to it (script and meta refresh) and a link a user can copy.
    /// </summary>
    public static string SamlResultPage(string user, string preloginCookie, string? callback = null) =>
        "<html><!-- <saml-auth-status>1</saml-auth-status>"
        + $"<prelogin-cookie>{new XText(preloginCookie)}</prelogin-cookie>"
        + $"<saml-username>{new XText(user)}</saml-username>"
        + "<saml-slo>no</saml-slo><saml-SessionNotOnOrAfter></saml-SessionNotOnOrAfter> -->"
        + (callback is null ? "" : $"<head><meta http-equiv=\"refresh\" content=\"0; url={System.Net.WebUtility.HtmlEncode(callback)}\"></head>")
        + "<body>Login successful. You may close this window."
        + (callback is null ? "" :
            $"<p><a id=\"callback\" href=\"{System.Net.WebUtility.HtmlEncode(callback)}\">Open GlobalProtect</a></p>" +
            $"<script>window.location.href = \"{callback}\";</script>")
        + "</body></html>";

    /// <summary>The identity provider's login form (user name, password), with an error line after a failed try.</summary>
    public static string SamlLoginForm(string action, string? error) =>
        "<!DOCTYPE html><html><head><title>Fake identity provider</title></head><body><h1>Sign in</h1>"
        + (error is null ? "" : $"<p id=\"error\">{System.Net.WebUtility.HtmlEncode(error)}</p>")
        + $"<form method=\"POST\" action=\"{action}\">"
        + "<label>User name <input name=\"username\" autocomplete=\"username\"></label>"
        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>"
        + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form></body></html>";

    /// <summary>The POST method's saml-request: a page whose form carries the SAML request to the identity provider.</summary>
    public static string SamlPostForm(string action) =>
        "<html><body onload=\"document.forms[0].submit()\">"
        + $"<form method=\"POST\" action=\"{System.Net.WebUtility.HtmlEncode(action)}\">"
        + "<input type=\"hidden\" name=\"SAMLRequest\" value=\"ZmFrZQ==\"/><input type=\"hidden\" name=\"RelayState\" value=\"fake\"/>"
        + "</form></body></html>";

    private static XElement GatewayElement(GatewayEntry gateway) =>
        new("entry", new XAttribute("name", gateway.Address),
            new XElement("priority-rule",
                gateway.PriorityRules.Select(rule =>
                    new XElement("entry", new XAttribute("name", rule.Key),
                        new XElement("priority", rule.Value.ToString(CultureInfo.InvariantCulture))))),
            new XElement("priority", gateway.Priority.ToString(CultureInfo.InvariantCulture)),
            new XElement("description", gateway.Description));

    private static string Document(XElement root) => Declaration + root.ToString(SaveOptions.None) + "\n";
}
