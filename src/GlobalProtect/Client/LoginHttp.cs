using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GlobalProtect.Protocol;
using GlobalProtect.Tls;

namespace GlobalProtect.Client;

/// <summary>
/// The HTTP side of one login: POSTs with the GlobalProtect headers, a deadline per request, and transport
/// failures turned into user-facing exceptions that name the server and the step.
/// </summary>
internal sealed class LoginHttp : IDisposable
{
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly HttpClient _client;
    private readonly TlsVerifier _verifier;
    private readonly TimeSpan _timeout;
    private readonly string _userAgent;

    public LoginHttp(HttpMessageHandler handler, TlsVerifier verifier, TimeSpan timeout, string userAgent)
    {
        _client = new HttpClient(new CookieHandler(handler), disposeHandler: true)
        {
            // Each request gets its own deadline below, so that a timeout can name its step.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        _verifier = verifier;
        _timeout = timeout;
        _userAgent = userAgent;
    }

    /// <param name="server">Where to send it.</param>
    /// <param name="pathAndQuery">The request path.</param>
    /// <param name="form">A form body, or null for none (prelogin sends its parameters in the query).</param>
    /// <param name="source">The step, e.g. "portal getconfig", for messages.</param>
    public async Task<HttpReply> PostAsync(
        ServerAddress server, string pathAndQuery, string? form, string source, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, pathAndQuery));
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (form is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(LoginForm.ContentType);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return new HttpReply((int)response.StatusCode, body);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PortalException($"{source}: {server} did not answer within {Seconds(_timeout)}", ex);
        }
        catch (HttpRequestException ex)
        {
            if (_verifier.LastFailure is { } failure)
            {
                throw new CertificateVerificationException(failure.Host, failure.Pin, failure.Reason, ex);
            }

            throw new PortalException($"{source}: cannot reach {server}: {ex.Message}", ex);
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
