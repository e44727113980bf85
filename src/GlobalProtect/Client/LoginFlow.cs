using GlobalProtect.Protocol;
using GlobalProtect.Selection;

namespace GlobalProtect.Client;

/// <summary>
/// One login, start to end: portal prelogin, portal getconfig, gateway choice, gateway login
/// (docs/globalprotect-protocol.md section 0). Holds the state of that one login; split by concern into the Portal,
/// Gateway and Exchange parts.
/// </summary>
internal sealed partial class LoginFlow
{
    private const int MaxChallenges = 8;

    private readonly ClientIdentity _identity;
    private readonly LoginHttp _http;
    private readonly ILoginPrompter _prompter;
    private readonly IProgress<LoginProgress>? _progress;
    private readonly LoginRequest _request;
    private readonly ServerAddress _portal;
    private readonly SavedSession? _saved;

    private string? _user;

    /// <summary>The user's password once known (never a one-time code): reused at the gateway.</summary>
    private string? _password;

    private string? _region;

    public LoginFlow(
        ClientIdentity identity,
        LoginHttp http,
        ILoginPrompter prompter,
        IProgress<LoginProgress>? progress,
        LoginRequest request,
        ServerAddress portal)
    {
        _identity = identity;
        _http = http;
        _prompter = prompter;
        _progress = progress;
        _request = request;
        _portal = portal;
        // A saved session is another portal's, or another user's, unless both match: its cookie is never sent for someone else.
        _saved = request.Saved is { } saved && ServerAddress.TryParse(saved.Portal)?.SameAs(portal) == true
            && (NonEmpty(request.User) is not { } asked || string.Equals(asked, NonEmpty(saved.User), StringComparison.OrdinalIgnoreCase))
            ? saved : null;
        _user = NonEmpty(request.User) ?? NonEmpty(_saved?.User);
        _password = request.Password;
    }

    public async Task<LoginResult> RunAsync(CancellationToken cancellationToken)
    {
        Report(LoginStage.PortalPrelogin, $"Contacting portal {_portal}");
        PortalLogin? portalLogin = null;
        // The prelogin goes out first; the early getconfig follows on its heels without waiting for the answer.
        var preloginSent = PreloginAsync(_portal, portal: true, cancellationToken);
        using (var early = EarlyPortalConfig(cancellationToken))
        {
            var prelogin = await preloginSent.ConfigureAwait(false);
            if (prelogin.Status != PreloginStatus.PortalNotFound)
            {
                EnsureUsable(prelogin, $"portal {_portal}");
                _region = prelogin.Region;
                portalLogin = await PortalLoginAsync(prelogin, early?.Reply, cancellationToken).ConfigureAwait(false);
            }
        }

        if (portalLogin is null)
        {
            return await GatewayOnlyAsync(cancellationToken).ConfigureAwait(false);
        }

        var config = portalLogin.Config;
        var chosen = GatewaySelector.Choose(config.Gateways, _request.Gateway, _region);
        var gateway = chosen.ToInfo(_region);
        var gateways = config.Gateways.Select(g => g.ToInfo(_region)).ToList();
        Report(LoginStage.GatewaySelected, $"Chose gateway {gateway.DisplayName}", gateway);

        var address = ServerAddress.Parse(chosen.Address, "gateway");
        var jnlp = await GatewayLoginAsync(address, gateway, portalLogin.Cookie, portalLogin.PrelogonCookie, cancellationToken)
            .ConfigureAwait(false);
        return Finish(gateway, gateways, jnlp, portalLogin.Cookie, portalLogin.PrelogonCookie);
    }

    private LoginResult Finish(
        GatewayInfo gateway, IReadOnlyList<GatewayInfo> gateways, JnlpArguments jnlp, string? portalCookie, string? prelogonCookie)
    {
        // The cookie keeps the gateway's user name exactly; what is shown and saved is made safe.
        var user = _user ?? GpText.UntrustedText.Clean(jnlp.User);
        var cookie = OpenConnectCookie.Build(jnlp, _identity.EffectiveComputer);
        var session = new SavedSession(
            _portal.Authority, user, portalCookie, prelogonCookie, gateways, gateway, DateTimeOffset.UtcNow, cookie);
        Report(LoginStage.Done, $"Signed in to gateway {gateway.DisplayName} as {user}", gateway);
        return new LoginResult(_portal.Authority, user, gateway, gateways, cookie, session, _region);
    }

    private void Report(LoginStage stage, string message, GatewayInfo? gateway = null) =>
        _progress?.Report(new LoginProgress(stage, message, gateway));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
