using System.Net;

namespace GlobalProtect.Client;

/// <summary>
/// Keeps HTTP cookies across the requests of one login, whatever handler is underneath (a real socket
/// handler or a test's in-memory one).
/// </summary>
internal sealed class CookieHandler : DelegatingHandler
{
    private readonly CookieContainer _cookies = new();

    public CookieHandler(HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("request without a URI");
        var header = _cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", header);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
            {
                try
                {
                    _cookies.SetCookies(uri, value);
                }
                catch (CookieException)
                {
                    // A cookie the container cannot hold is one the server does not need back for this login.
                }
            }
        }

        return response;
    }
}
