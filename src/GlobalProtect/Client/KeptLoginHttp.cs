namespace GlobalProtect.Client;

/// <summary>
/// A login's HTTP client, kept with its <see cref="LoginResult"/> so that the host-information exchange that follows goes
/// over the connection the gateway login left open instead of a new TCP and TLS handshake. Taken at most once; whoever
/// takes it disposes it. One never taken is closed by its pool once idle.
/// </summary>
internal sealed class KeptLoginHttp(LoginHttp http)
{
    private LoginHttp? _http = http;

    public LoginHttp? Take() => Interlocked.Exchange(ref _http, null);
}
