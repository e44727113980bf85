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
        {
            return null;
        }

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
        var needed = _options.HipRequired && !_hipReported.Contains(session.AuthCookie);
        Emit("hipreportcheck",
            ("user", session.User),
            ("result", "ok"),
            ("hip-report-needed", needed ? "yes" : "no"),
            ("client-ip", form["client-ip"] ?? "none"),
            ("md5", form.NonEmpty("md5") is { } md5 && IsMd5(md5) ? md5 : "invalid"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.HipReportCheck(needed)));
    }

    private HandlerResult HipReport(HttpRequest request)
    {
        var form = request.Form;
        var session = FindSession(form);
        if (session is null)
        {
            Emit("hipreport", ("user", form["user"] ?? ""), ("result", "rejected"));
            return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusError("Invalid authentication cookie")));
        }

        // The document must be a hip-report naming the session's user and address: what a gateway files it under.
        var (report, md5) = ReadHipReport(form["report"]);
        var valid = report is not null
            && report.Element("user-name")?.Value == session.User
            && report.Element("ip-address")?.Value == session.Ip;
        if (valid)
        {
            _hipReported.Add(session.AuthCookie);
        }

        Emit("hipreport",
            ("user", session.User),
            ("result", valid ? "ok" : "invalid-report"),
            ("client-ip", form["client-ip"] ?? "none"),
            ("md5", md5 ?? "none"),
            ("host-name", report?.Element("host-name")?.Value ?? "none"),
            // Who wrote the report: each writer (openconnect's hipreport.sh, a client's own) has its own version and host-id.
            ("client-version", report?.Element("categories")?.Elements("entry")
                .FirstOrDefault(e => (string?)e.Attribute("name") == "host-info")?.Element("client-version")?.Value ?? "none"),
            ("host-id", report?.Element("host-id")?.Value ?? "none"));
        return new ReplyResult(HttpResponse.Xml(valid
            ? GlobalProtectXml.StatusSuccess()
            : GlobalProtectXml.StatusError("Invalid HIP report")));
    }

    private static (System.Xml.Linq.XElement? Report, string? Md5) ReadHipReport(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        try
        {
            var root = System.Xml.Linq.XDocument.Parse(text).Root;
            if (root?.Name.LocalName != "hip-report")
            {
                return (null, null);
            }

            var md5 = root.Element("md5-sum")?.Value;
            return (root, md5 is not null && IsMd5(md5) ? md5 : "invalid");
        }
        catch (System.Xml.XmlException)
        {
            return (null, null);
        }
    }

    private static bool IsMd5(string value) => value.Length == 32 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

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
        _hipReported.Remove(session.AuthCookie);
        Emit("logout", ("user", session.User), ("result", "ok"));
        return new ReplyResult(HttpResponse.Xml(GlobalProtectXml.StatusSuccess()));
    }
}
