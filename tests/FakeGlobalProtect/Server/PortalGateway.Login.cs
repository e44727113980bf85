using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

// The gateway login: /ssl-vpn/prelogin.esp and /ssl-vpn/login.esp.
public sealed partial class PortalGateway
{
    private HandlerResult GatewayPrelogin(HttpRequest request)
    {
        var host = HostOf(request);
        _gatewayPreloginSeen = true;
        if (IsSaml)
        {
            Emit("gateway-prelogin", ("host", host), ("gateway", DescribeGateway(host)), ("result", "saml"));
            return new ReplyResult(HttpResponse.Xml(SamlPrelogin(host)));
        }
        Emit("gateway-prelogin", ("host", host), ("gateway", DescribeGateway(host)), ("result", "ok"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.PreloginSuccess(_options.Region)));
    }

    private HandlerResult GatewayLogin(HttpRequest request)
    {
        var form = request.Form;
        var user = form["user"] ?? "";
        var password = form["passwd"] ?? "";
        var portalCookie = form.NonEmpty("portal-userauthcookie");
        SeenPortalCookie("gateway", form, user);

        if (_options.Scenario == Scenario.WrongPassword)
        {
            return Reject("gateway", user, "bad-password");
        }

        if (user != _options.User)
        {
            return Reject("gateway", user, "unknown-user");
        }

        if (_options.Scenario == Scenario.HostileText)
        {
            Emit("login-failed", ("where", "gateway"), ("user", user), ("reason", "hostile-text"), ("status", "200"));
            return new ReplyResult(HttpResponse.Html(GlobalProtectXml.JavaScriptError(GlobalProtectXml.HostileScriptText, HostileMessageBytes)));
        }

        if (portalCookie is not null)
        {
            if (_options.Scenario == Scenario.SamlGateway)
            {
                return Reject("gateway", user, "cookie-rejected");
            }

            if (_options.Scenario == Scenario.GatewayRejectsCookie)
            {
                // Refuse the cookie until the client has fallen back to the gateway's own prelogin.
                if (!_gatewayPreloginSeen)
                {
                    return Reject("gateway", user, "cookie-rejected");
                }
            }
            else if (_portalCookies.TryGetValue(portalCookie, out var owner) && owner == user)
            {
                return LoginSuccess(request, user, "portal-cookie");
            }
        }

        if (IsSaml)
        {
            if (form.NonEmpty("prelogin-cookie") is { } preloginCookie
                && _preloginCookies.Remove(preloginCookie, out var owner) && owner == user)
            {
                return LoginSuccess(request, user, "prelogin-cookie");
            }

            return Reject("gateway", user, "saml-required");
        }

        if (_options.Scenario == Scenario.GatewayMfa)
        {
            if (form.NonEmpty("inputStr") is { } inputStr)
            {
                return AnswerChallenge("gateway", user, inputStr, password) ? LoginSuccess(request, user, "otp") : Reject("gateway", user, "bad-otp");
            }

            if (password != _options.Password)
            {
                return Reject("gateway", user, "bad-password");
            }

            var challenge = NewChallenge("gateway", user);
            Emit("challenge", ("where", "gateway"), ("format", "xml"), ("user", user));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.XmlChallenge(user, challenge, "Enter the one-time code")));
        }

        if (_options.GatewayPassword is { } own)
        {
            if (password == own)
            {
                return LoginSuccess(request, user, "password");
            }

            Emit("login-failed", ("where", "gateway"), ("user", user), ("reason", "bad-password"), ("status", "512"));
            return new ReplyResult(HttpResponse.Text(512, GatewayOwnPasswordMessage));
        }

        return password == _options.Password ? LoginSuccess(request, user, "password") : Reject("gateway", user, "bad-password");
    }

    /// <summary>What the gateway answers (HTTP 512) to any password but --gateway-password.</summary>
    public const string GatewayOwnPasswordMessage = "This gateway needs its own passcode";

    private ReplyResult LoginSuccess(HttpRequest request, string user, string method)
    {
        var host = HostOf(request);
        Volatile.Write(ref _gatewayLoginSeen, true);
        var session = new VpnSession(NewSecret("authcookie"), user, _options.Ip, host, DescribeGateway(host));
        _sessions[session.AuthCookie] = session;
        Emit("gateway-login",
            ("user", user),
            ("auth", method),
            ("gateway", session.GatewayDescription),
            ("address", host),
            ("ip", session.Ip));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.Jnlp(new JnlpArguments(
            session.AuthCookie, NewSecret("persistent-cookie", 40), GatewayPortalName, user, session.Ip))));
    }
}
