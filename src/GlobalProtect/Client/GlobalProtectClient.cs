using System.Net;
using System.Net.Security;
using GlobalProtect.Client;
using GlobalProtect.Protocol;
using GlobalProtect.Tls;

namespace GlobalProtect;

/// <summary>
/// Signs in to a GlobalProtect portal and gateway and returns the cookie for openconnect. Each
/// <see cref="LoginAsync"/> has its own connections and HTTP cookies, kept with its result for the HIP exchange that
/// follows; the client itself holds only settings.
/// </summary>
public sealed class GlobalProtectClient
{
    private readonly ClientIdentity _identity;
    private readonly TlsSettings _tls;
    private readonly TimeSpan _requestTimeout;
    private readonly Func<HttpMessageHandler>? _handlerFactory;

    /// <param name="identity">How the client presents itself.</param>
    /// <param name="tls">How server certificates are verified.</param>
    /// <param name="requestTimeout">The deadline for each request.</param>
    /// <param name="handlerFactory">
    /// Makes the HTTP handler for a login (tests pass an in-memory one); null means a socket handler that
    /// verifies certificates per <paramref name="tls"/>.
    /// </param>
    public GlobalProtectClient(
        ClientIdentity identity,
        TlsSettings tls,
        TimeSpan requestTimeout,
        Func<HttpMessageHandler>? handlerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tls);
        if (requestTimeout <= TimeSpan.Zero && requestTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(requestTimeout), requestTimeout, "the request timeout must be positive");
        }

        _identity = identity;
        _tls = tls;
        _requestTimeout = requestTimeout;
        _handlerFactory = handlerFactory;
    }

    /// <summary>
    /// Runs a whole login. Throws <see cref="AuthenticationFailedException"/> when credentials or a code are
    /// refused, <see cref="CertificateVerificationException"/> when a certificate does not verify,
    /// <see cref="PortalException"/> when a server refuses or fails, and <see cref="GlobalProtectException"/>
    /// for responses that break the protocol. Cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<LoginResult> LoginAsync(
        LoginRequest request,
        ILoginPrompter prompter,
        IProgress<LoginProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prompter);
        cancellationToken.ThrowIfCancellationRequested();

        var portal = ServerAddress.Parse(request.Portal, "portal");
        var http = NewHttp();
        try
        {
            var flow = new LoginFlow(_identity, http, prompter, progress, request, portal);
            var result = await flow.RunAsync(cancellationToken).ConfigureAwait(false);
            return result with { Http = new KeptLoginHttp(http) };
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="SubmitHipReportAsync(string, string, string, HipReportWriter?, CancellationToken)"/> for a login of this
    /// process: over the connection its gateway login left open, when the gateway has not closed it (a round trip or two
    /// less than a new TCP and TLS handshake), else over a new one.
    /// </summary>
    public Task<HipReportOutcome> SubmitHipReportAsync(LoginResult login, string osName, CancellationToken cancellationToken) =>
        SubmitHipReportAsync(login, osName, writeReport: null, cancellationToken);

    /// <inheritdoc cref="SubmitHipReportAsync(LoginResult, string, CancellationToken)"/>
    public Task<HipReportOutcome> SubmitHipReportAsync(
        LoginResult login, string osName, HipReportWriter? writeReport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(osName);
        return SubmitHipReportAsync(login.Gateway.Address, login.OpenConnectCookie, osName, writeReport, login.Http?.Take(), cancellationToken);
    }

    /// <summary>
    /// Asks the gateway whether it wants a host-information report for this session and, when it does, sends one
    /// (the same check and report as openconnect makes right after its getconfig). The cookie
    /// travels only in request bodies. Throws <see cref="GlobalProtectException"/> (or a subclass) when the gateway
    /// refuses or fails or the report is not a <c>&lt;hip-report&gt;</c> document, <see cref="OperationCanceledException"/>
    /// on cancellation; what <paramref name="writeReport"/> throws passes through.
    /// </summary>
    /// <param name="gateway">The gateway's address (<see cref="GatewayInfo.Address"/>).</param>
    /// <param name="openConnectCookie">The session cookie (<see cref="LoginResult.OpenConnectCookie"/>).</param>
    /// <param name="osName">The operating system the report names, e.g. "Debian GNU/Linux 12 (bookworm)".</param>
    /// <param name="writeReport">
    /// Writes the report, called only when the gateway wants one; null means the built-in report, in the shape of
    /// openconnect's hipreport.sh for a Linux client.
    /// </param>
    public Task<HipReportOutcome> SubmitHipReportAsync(
        string gateway, string openConnectCookie, string osName, HipReportWriter? writeReport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(openConnectCookie);
        ArgumentNullException.ThrowIfNull(osName);
        return SubmitHipReportAsync(gateway, openConnectCookie, osName, writeReport, kept: null, cancellationToken);
    }

    /// <inheritdoc cref="SubmitHipReportAsync(string, string, string, HipReportWriter?, CancellationToken)"/>
    public Task<HipReportOutcome> SubmitHipReportAsync(
        string gateway, string openConnectCookie, string osName, CancellationToken cancellationToken) =>
        SubmitHipReportAsync(gateway, openConnectCookie, osName, writeReport: null, cancellationToken);

    private async Task<HipReportOutcome> SubmitHipReportAsync(string gateway, string openConnectCookie, string osName,
        HipReportWriter? writeReport, LoginHttp? kept, CancellationToken cancellationToken)
    {
        using var http = kept ?? NewHttp();
        cancellationToken.ThrowIfCancellationRequested();
        var server = ServerAddress.Parse(gateway, "gateway");

        var config = await http.PostAsync(server, GpPaths.GatewayConfig, HipRequests.GetConfig(openConnectCookie, _identity),
            "gateway getconfig", cancellationToken).ConfigureAwait(false);
        var (clientIp, clientIpv6) = HipReplyParser.ClientAddresses(config.StatusCode, config.Body, server.Authority);

        var md5 = HipRequests.Md5(openConnectCookie);
        var check = await http.PostAsync(server, GpPaths.HipReportCheck, HipRequests.Check(openConnectCookie, clientIp, md5),
            "HIP report check", cancellationToken).ConfigureAwait(false);
        if (!HipReplyParser.ReportNeeded(check.StatusCode, check.Body, server.Authority))
        {
            return HipReportOutcome.NotNeeded;
        }

        var facts = new HipReportFacts(
            md5,
            HipRequests.Field(openConnectCookie, "user") ?? string.Empty,
            HipRequests.Field(openConnectCookie, "domain") ?? string.Empty,
            HipRequests.Field(openConnectCookie, "computer") ?? _identity.EffectiveComputer,
            _identity.EffectiveHostId,
            clientIp,
            _identity.ClientVersion,
            osName,
            DateTimeOffset.UtcNow)
        {
            ClientIpv6 = clientIpv6,
            ClientOs = _identity.ClientOs,
        };
        string report;
        if (writeReport is null)
        {
            report = HipReportDocument.Build(facts);
        }
        else
        {
            report = await writeReport(facts, cancellationToken).ConfigureAwait(false);
            HipReportDocument.Check(report);
        }
        var sent = await http.PostAsync(server, GpPaths.HipReport, HipRequests.Report(openConnectCookie, clientIp, report),
            "HIP report", cancellationToken).ConfigureAwait(false);
        HipReplyParser.ReportAccepted(sent.StatusCode, sent.Body, server.Authority);
        return HipReportOutcome.Sent;
    }

    private LoginHttp NewHttp()
    {
        var verifier = new TlsVerifier(_tls);
        return new LoginHttp(_handlerFactory?.Invoke() ?? CreateSocketHandler(verifier), verifier, _requestTimeout, _identity.UserAgent);
    }

    private SocketsHttpHandler CreateSocketHandler(TlsVerifier verifier) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = _requestTimeout,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = verifier.Validate,
        },
    };
}
