using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

// The portal: /global-protect/prelogin.esp and /global-protect/getconfig.esp.
public sealed partial class PortalGateway
{
    private HandlerResult PortalPrelogin(HttpRequest request)
    {
        var host = HostOf(request);
        switch (_options.Scenario)
        {
            case Scenario.Hang:
                Emit("prelogin", ("host", host), ("result", "hang"));
                return new NoReplyResult();
            case Scenario.Http500:
                Emit("prelogin", ("host", host), ("result", "http500"));
                return new ReplyResult(HttpResponse.Text(500, "Internal Server Error"));
            case Scenario.HugeBody:
                Emit("prelogin", ("host", host), ("result", "huge-body"), ("length", HugeBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return new HugeBodyResult(HugeBodyBytes);
            case Scenario.DeepXml:
                Emit("prelogin", ("host", host), ("result", "deep-xml"), ("depth", DeepXmlDepth.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.DeeplyNestedPrelogin(DeepXmlDepth)));
            case Scenario.Endless:
                Emit("prelogin", ("host", host), ("result", "endless"));
                return new EndlessBodyResult(EndlessAnnouncedBytes, EndlessInterval);
            case Scenario.GatewayOnly:
                Emit("prelogin", ("host", host), ("result", "no-portal"));
                return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.PreloginError(GlobalProtectXml.PortalDoesNotExist)));
            case Scenario.Saml or Scenario.SamlPost or Scenario.SamlGateway or Scenario.SamlCas or Scenario.SamlHeader or Scenario.SamlExpiry:
                Emit("prelogin", ("host", host), ("result", "saml"), ("region", _options.Region));
                return new ReplyResult(HttpResponse.Xml(SamlPrelogin(host)));
            default:
                Emit("prelogin", ("host", host), ("result", "ok"), ("region", _options.Region));
                return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.PreloginSuccess(_options.Region,
                    _options.Scenario == Scenario.HostileText ? "Password" + GlobalProtectXml.HostileXmlText : "Password")));
        }
    }

    private HandlerResult PortalGetConfig(HttpRequest request)
    {
        var form = request.Form;
        var user = form["user"] ?? "";
        switch (_options.Scenario)
        {
            case Scenario.GatewayOnly:
                Emit("portal-config", ("host", HostOf(request)), ("result", "no-portal"));
                return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.PreloginError(GlobalProtectXml.PortalDoesNotExist)));
            case Scenario.Http500:
                Emit("http-error", ("status", "500"), ("method", request.Method), ("path", request.Path));
                return new ReplyResult(HttpResponse.Text(500, "Internal Server Error"));
            case Scenario.WrongPassword:
                return Reject("portal", user, "bad-password");
        }

        if (user != _options.User)
        {
            return Reject("portal", user, "unknown-user");
        }

        // A portal cookie it issued to this user signs in again without a password, as a real portal does; the events
        // say which cookie arrived and how the login went, so a test can prove whose saved cookie was sent, and that
        // no password was.
        string? cookieOwner = SeenPortalCookie("portal", form, user);
        if (form.NonEmpty("portal-userauthcookie") is not null)
        {
            // saml-expiry: the portal never honours a cookie again, so a saved session must sign in anew.
            if (_options.Scenario != Scenario.SamlExpiry && cookieOwner == user)
            {
                return PortalSuccess(request, user, "portal-cookie");
            }

            return Reject("portal", user, IsSaml ? "cookie-expired" : "unknown-cookie");
        }

        if (IsSaml)
        {
            var preloginCookie = form.NonEmpty("prelogin-cookie");
            if (preloginCookie is null)
            {
                return Reject("portal", user, "saml-required");
            }
            // A prelogin cookie is good for one login, as a SAML assertion is.
            if (!_preloginCookies.Remove(preloginCookie, out var owner) || owner != user)
            {
                return Reject("portal", user, "bad-prelogin-cookie");
            }

            return PortalSuccess(request, user);
        }

        var password = form["passwd"] ?? "";
        if (_options.Scenario is Scenario.PortalMfa or Scenario.HostileText)
        {
            if (form.NonEmpty("inputStr") is { } inputStr)
            {
                return AnswerChallenge("portal", user, inputStr, password) ? PortalSuccess(request, user) : Reject("portal", user, "bad-otp");
            }

            if (password != _options.Password)
            {
                return Reject("portal", user, "bad-password");
            }

            var challenge = NewChallenge("portal", user);
            Emit("challenge", ("where", "portal"), ("format", "javascript"), ("user", user));
            return new ReplyResult(HttpResponse.Html(GlobalProtectXml.JavaScriptChallenge(
                _options.Scenario == Scenario.HostileText ? GlobalProtectXml.HostileScriptText : "Enter the code from your authenticator", challenge)));
        }

        return password == _options.Password ? PortalSuccess(request, user) : Reject("portal", user, "bad-password");
    }

    private HandlerResult PortalSuccess(HttpRequest request, string user, string method = "password")
    {
        var gateways = GatewaysFor(request);
        if (_options.Scenario == Scenario.Malformed)
        {
            Emit("portal-config", ("user", user), ("gateways", gateways.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("result", "malformed"));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.MalformedPolicy(gateways[0].Address)));
        }

        string? cookie = null;
        if (_options.Scenario is Scenario.PortalCookie or Scenario.GatewayRejectsCookie or Scenario.PortalMfa || IsSaml)
        {
            cookie = NewSecret("portal-userauthcookie");
            _portalCookies[cookie] = user;
            _portalCookieNumbers[cookie] = _portalCookieNumbers.Count + 1;
        }
        // A fresh portal login starts a fresh gateway login (gateway-rejects-cookie keys on this).
        _gatewayPreloginSeen = false;

        Emit("portal-config",
            ("user", user),
            ("gateways", gateways.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("userauthcookie", cookie is null ? "no" : "yes"),
            ("auth", method),
            ("password", request.Form.NonEmpty("passwd") is null ? "no" : "yes"),
            ("computer", request.Form["computer"] ?? ""),
            ("cookie", cookie is null ? "" : _portalCookieNumbers[cookie].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("result", "ok"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.PortalPolicy(PortalName, gateways, cookie)));
    }

    /// <summary>
    /// Logs a portal-userauthcookie a request carries, by its number (the nth cookie issued, never its value), and
    /// returns the user it was issued to (null when it is none of ours).
    /// </summary>
    private string? SeenPortalCookie(string where, FormData form, string user)
    {
        if (form.NonEmpty("portal-userauthcookie") is not { } cookie)
        {
            return null;
        }

        string? owner = _portalCookies.GetValueOrDefault(cookie);
        Emit("portal-cookie", ("where", where), ("user", user),
            ("cookie", _portalCookieNumbers.TryGetValue(cookie, out int n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown"));
        return owner;
    }

    private string NewChallenge(string where, string user)
    {
        var inputStr = NewToken(16);
        _challenges[inputStr] = new PendingChallenge(user, where);
        return inputStr;
    }

    /// <summary>True when <paramref name="inputStr"/> names a challenge issued here for this user and the code is right.</summary>
    private bool AnswerChallenge(string where, string user, string inputStr, string code)
    {
        if (!_challenges.Remove(inputStr, out var pending) || pending.User != user || pending.Where != where)
        {
            return false;
        }

        return code == _options.Otp;
    }

    /// <summary>Refuses a login: HTTP 512 as PAN-OS does, or a status="error" document in that scenario.</summary>
    private ReplyResult Reject(string where, string user, string reason)
    {
        if (_options.Scenario == Scenario.StatusError)
        {
            Emit("login-failed", ("where", where), ("user", user), ("reason", reason), ("status", "200"));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusError("Authentication failed: Invalid username or password")));
        }
        Emit("login-failed", ("where", where), ("user", user), ("reason", reason), ("status", "512"));
        return new ReplyResult(HttpResponse.Text(512, "Invalid username or password"));
    }
}
