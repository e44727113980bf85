using System.Net;
using System.Security.Cryptography;
using FakeGlobalProtect.Events;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Protocol;

namespace FakeGlobalProtect.Server;

/// <summary>
/// The portal and gateway logic, free of I/O: takes a parsed request, updates the fake's state
/// (sessions, issued cookies, pending challenges) and says how to answer. Thread-safe.
/// </summary>
public sealed partial class PortalGateway
{
    public const string TunnelPath = "/ssl-tunnel-connect.sslvpn";
    public const string SamlLoginPath = "/fake-idp/login";
    public const string PortalName = "fake-portal";
    public const string GatewayPortalName = "fake-gateway";
    public const string SingleGatewayDescription = "Fake Gateway";

    /// <summary>
    /// How deep the deep-xml scenario nests its prelogin message: a 1.75 MB body, under any size cap, and deeper than a
    /// reader that recurses per level can survive.
    /// </summary>
    public const int DeepXmlDepth = 250_000;

    /// <summary>The body the huge-body scenario sends: far beyond what a client should buffer.</summary>
    public const long HugeBodyBytes = 64L * 1024 * 1024;

    /// <summary>
    /// What the endless scenario announces as Content-Length: small enough that no size cap refuses it up front, so
    /// only a deadline on the whole response ends the wait; at one byte per interval it would take days to arrive.
    /// </summary>
    public const long EndlessAnnouncedBytes = 1L << 20;

    /// <summary>How often the endless scenario sends its next byte: often enough that no idle timeout ever fires.</summary>
    public static readonly TimeSpan EndlessInterval = TimeSpan.FromMilliseconds(250);

    private readonly FakeOptions _options;
    private readonly IEventSink _events;
    private readonly string _fallbackHost;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VpnSession> _sessions = new(StringComparer.Ordinal);
    /// <summary>The authcookies of the sessions that have sent a HIP report (--hip-required).</summary>
    private readonly HashSet<string> _hipReported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _portalCookies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _portalCookieNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _preloginCookies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingChallenge> _challenges = new(StringComparer.Ordinal);
    private bool _gatewayPreloginSeen;

    public PortalGateway(FakeOptions options, IPEndPoint boundEndPoint, IEventSink events)
    {
        _options = options;
        _events = events;
        _fallbackHost = boundEndPoint.ToString();
        MultiGateways = BuildMultiGateways(boundEndPoint);
    }

    /// <summary>The three gateways of the multi-gateway scenario, all reachable at this listener.</summary>
    public IReadOnlyList<GatewayEntry> MultiGateways { get; }

    /// <summary>True once a gateway login has succeeded (--cert-after-login switches certificates from then on).</summary>
    public bool GatewayLoginSeen => Volatile.Read(ref _gatewayLoginSeen);

    private bool _gatewayLoginSeen;

    public HandlerResult Handle(HttpRequest request)
    {
        lock (_gate)
        {
            if (_options.Scenario == Scenario.RedirectLoop)
            {
                return RedirectToItself(request);
            }

            return (request.Method, request.Path) switch
            {
                ("POST" or "GET", "/global-protect/prelogin.esp") => PortalPrelogin(request),
                ("POST", "/global-protect/getconfig.esp") => PortalGetConfig(request),
                ("POST" or "GET", "/ssl-vpn/prelogin.esp") => GatewayPrelogin(request),
                ("POST", "/ssl-vpn/login.esp") => GatewayLogin(request),
                ("POST", "/ssl-vpn/getconfig.esp") => SslGetConfig(request),
                ("POST", "/ssl-vpn/hipreportcheck.esp") => HipReportCheck(request),
                ("POST", "/ssl-vpn/hipreport.esp") => HipReport(request),
                ("GET", TunnelPath) => TunnelConnect(request),
                ("POST", "/ssl-vpn/logout.esp") => Logout(request),
                ("GET" or "POST", SamlLoginPath) when IsSaml => SamlIdentityProvider(request),
                _ => NotFound(request),
            };
        }
    }

    private string HostOf(HttpRequest request) => request.Host is { Length: > 0 } host ? host : _fallbackHost;

    private string DescribeGateway(string host)
    {
        if (_options.Scenario != Scenario.MultiGateway)
        {
            return SingleGatewayDescription;
        }

        return MultiGateways.FirstOrDefault(g => string.Equals(g.Address, host, StringComparison.OrdinalIgnoreCase))?.Description
            ?? "unknown";
    }

    private IReadOnlyList<GatewayEntry> GatewaysFor(HttpRequest request) =>
        _options.Scenario == Scenario.MultiGateway
            ? MultiGateways
            : [new GatewayEntry(HostOf(request),
                _options.Scenario == Scenario.HostileText ? SingleGatewayDescription + GlobalProtectXml.HostileXmlText : SingleGatewayDescription,
                1, [new("Any", 1)])];

    /// <summary>The size of the message with which hostile-text refuses every gateway login.</summary>
    public const int HostileMessageBytes = 3 * 1024 * 1024;

    /// <summary>
    /// Three names for the same listener: the address itself, the IPv4-mapped IPv6 form of it, and
    /// localhost. Listed so that neither the first entry nor the lowest &lt;priority&gt; is the one
    /// the region rules pick, which lets a test tell the three selection methods apart.
    /// </summary>
    private static GatewayEntry[] BuildMultiGateways(IPEndPoint endPoint)
    {
        var port = endPoint.Port;
        var ipv4 = endPoint.Address.MapToIPv4();
        return
        [
            new($"localhost:{port}", "Europe", 3, [new("DE", 1), new("FR", 1), new("Any", 3)]),
            new($"[::ffff:{ipv4}]:{port}", "US West", 2, [new("US", 2), new("Any", 2)]),
            new($"{ipv4}:{port}", "US East", 1, [new("US", 1), new("Any", 4)]),
        ];
    }

    /// <summary>A fresh cookie; recorded in --secrets-file (under <paramref name="kind"/>) so tests can look for leaks.</summary>
    private string NewSecret(string kind, int hexChars = 32)
    {
        var secret = NewToken(hexChars);
        if (_options.SecretsFile is { } path)
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{kind} {secret}\n"));
        }
        return secret;
    }

    private static string NewToken(int hexChars) => RandomNumberGenerator.GetHexString(hexChars, lowercase: true);

    /// <summary>The redirect-loop scenario: every request is sent back to the URL it asked for.</summary>
    private ReplyResult RedirectToItself(HttpRequest request)
    {
        var location = $"https://{HostOf(request)}{request.Target}";
        if (request.Path == "/global-protect/prelogin.esp")
        {
            Emit("prelogin", ("host", HostOf(request)), ("result", "redirect-loop"));
        }

        Emit("redirect", ("method", request.Method), ("path", request.Path), ("location", location));
        return new ReplyResult(HttpResponse.Redirect(location));
    }

    private void Emit(string name, params (string Key, string Value)[] properties) =>
        _events.Emit(new FakeEvent(name, properties));

    private HandlerResult NotFound(HttpRequest request)
    {
        Emit("http-error", ("status", "404"), ("method", request.Method), ("path", request.Path));
        return new ReplyResult(HttpResponse.Text(404, "Not Found"));
    }

    private sealed record PendingChallenge(string User, string Where);
}
