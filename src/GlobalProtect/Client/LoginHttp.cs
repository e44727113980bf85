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
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response.Content, server, source, deadline.Token).ConfigureAwait(false);
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

    /// <summary>The body as text, refusing one larger than any real GlobalProtect reply with a message that says so.</summary>
    private static async Task<string> ReadBodyAsync(HttpContent content, ServerAddress server, string source, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw TooLarge(server, source);
        }
        await using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxResponseBytes)
            {
                throw TooLarge(server, source);
            }
            buffer.Write(chunk, 0, n);
        }
        Encoding encoding = content.Headers.ContentType?.CharSet is { } charset && TryEncoding(charset) is { } named ? named : Encoding.UTF8;
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Encoding? TryEncoding(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static PortalException TooLarge(ServerAddress server, string source) =>
        new($"{source}: {server} sent a reply larger than {MaxResponseBytes / (1024 * 1024)} MiB, which no GlobalProtect server does");

    public void Dispose() => _client.Dispose();

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
