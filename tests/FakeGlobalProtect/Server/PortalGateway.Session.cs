using System.Net;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

// What openconnect does with the session cookie: getconfig, HIP check, tunnel, logout.
public sealed partial class PortalGateway
{
    /// <summary>The address the fake's own packets come from: the first DNS server, the gateway side of the tunnel.</summary>
    public IPAddress GatewaySideAddress => IPAddress.Parse(_options.Dns.Count > 0 ? _options.Dns[0] : "10.99.0.1");

    private VpnSession? FindSession(FormData fields)
    {
        var cookie = fields.NonEmpty("authcookie");
        if (cookie is null || !_sessions.TryGetValue(cookie, out var session))
            return null;
        return session.User == fields["user"] ? session : null;
    }

    private HandlerResult SslGetConfig(HttpRequest request)
    {
        var form = request.Form;
        var session = FindSession(form);
        if (session is null)
        {
            Emit("ssl-getconfig", ("user", form["user"] ?? ""), ("result", "rejected"), ("reason", "unknown-cookie"));
            // openconnect compares the whole body with this text to recognise a dead cookie.
            return new ReplyResult(HttpResponse.Text(200, GlobalProtectXml.SslVpnConfigError));
        }

        var preferred = form.NonEmpty("preferred-ip");
        Emit("ssl-getconfig",
            ("user", session.User),
            ("ip", session.Ip),
            ("preferred-ip", preferred ?? "none"),
            ("gateway", session.GatewayDescription),
            ("result", "ok"));
        var config = new GatewayConfig(
            session.Ip, "255.255.255.255", 1400, TunnelPath, _options.Dns, _options.Routes,
            GatewaySideAddress.ToString(), GatewayPortalName, session.User, _options.DnsSuffixes);
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.SslVpnConfig(config)));
    }

    private HandlerResult HipReportCheck(HttpRequest request)
    {
        var form = request.Form;
        var session = FindSession(form);
        if (session is null)
        {
            Emit("hipreportcheck", ("user", form["user"] ?? ""), ("result", "rejected"));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusError("Invalid authentication cookie")));
        }
        Emit("hipreportcheck", ("user", session.User), ("result", "ok"), ("hip-report-needed", "no"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.HipReportCheck(needed: false)));
    }

    private HandlerResult HipReport(HttpRequest request)
    {
        var session = FindSession(request.Form);
        Emit("hipreport", ("user", session?.User ?? ""), ("result", session is null ? "rejected" : "ok"));
        return new ReplyResult(HttpResponse.Xml(session is null
            ? GlobalProtectXml.StatusError("Invalid authentication cookie")
            : GlobalProtectXml.StatusSuccess()));
    }

    private HandlerResult TunnelConnect(HttpRequest request)
    {
        var query = request.Query;
        if (_options.Scenario == Scenario.Tunnel502)
        {
            Emit("tunnel-refused", ("user", query["user"] ?? ""), ("status", "502"), ("reason", "scenario"));
            return new ReplyResult(HttpResponse.Text(502, "Bad Gateway"), Close: true);
        }
        var session = FindSession(query);
        if (session is null)
        {
            Emit("tunnel-refused", ("user", query["user"] ?? ""), ("status", "502"), ("reason", "unknown-cookie"));
            return new ReplyResult(HttpResponse.Text(502, "Bad Gateway"), Close: true);
        }
        return new TunnelResult(session);
    }

    private HandlerResult Logout(HttpRequest request)
    {
        var form = request.Form;
        var session = FindSession(form);
        if (session is null)
        {
            Emit("logout", ("user", form["user"] ?? ""), ("result", "unknown-cookie"));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusError("Invalid authentication cookie")));
        }
        _sessions.Remove(session.AuthCookie);
        Emit("logout", ("user", session.User), ("result", "ok"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusSuccess()));
    }
}
