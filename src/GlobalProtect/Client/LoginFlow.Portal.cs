using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>The portal getconfig: with a saved portal cookie first, then with the password or a browser sign-in.</summary>
internal sealed partial class LoginFlow
{
    private const string PortalConfigSource = "portal getconfig";

    /// <summary>
    /// For a portal signed in to before (a saved session) with the user known, the first getconfig needs nothing
    /// from the prelogin, so it goes out at the same time (on a second connection) and saves a round trip: with the
    /// saved cookie when there is one (it spares a password and a one-time code while the portal honours it), else
    /// with the password when given. Its answer is read only once the prelogin says such a login goes on; otherwise
    /// it is cancelled and dropped. A first contact waits for the prelogin, so that no password is sent to a portal
    /// that turns out to want SAML.
    /// </summary>
    private EarlyRequest? EarlyPortalConfig(CancellationToken cancellationToken)
    {
        var form = _saved is null || _user is null ? null
            : SavedCookieForm() is { } cookieForm ? cookieForm
            : _password is not null ? Form(_portal, _password)
            : null;
        return form is null
            ? null
            : new EarlyRequest(token => _http.PostAsync(_portal, GpPaths.PortalConfig, form.Encode(), PortalConfigSource, token), cancellationToken);
    }

    private LoginForm? SavedCookieForm() => _saved?.PortalUserAuthCookie is { } savedCookie
        ? Form(_portal, string.Empty) with
        {
            PortalUserAuthCookie = savedCookie,
            PortalPrelogonUserAuthCookie = _saved.PortalPrelogonUserAuthCookie,
        }
        : null;

    /// <summary>The portal's config, or null when the portal says it is no portal (the host is only a gateway).</summary>
    /// <param name="prelogin">The portal's prelogin answer.</param>
    /// <param name="earlyReply">The first getconfig's answer, when it was sent together with the prelogin.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    private async Task<PortalLogin?> PortalLoginAsync(PreloginResponse prelogin, Task<HttpReply>? earlyReply, CancellationToken cancellationToken)
    {
        Report(LoginStage.PortalConfig, $"Signing in to portal {_portal}");
        if (_saved?.PortalUserAuthCookie is { } savedCookie)
        {
            await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
            var outcome = await SubmitAsync(_portal, GpPaths.PortalConfig, SavedCookieForm()!, PortalConfigSource, "<policy>", cancellationToken, earlyReply)
                .ConfigureAwait(false);
            // The early request, if any, was this one.
            earlyReply = null;
            switch (outcome.Reply)
            {
                case ServerReply.Document document:
                    var config = PortalConfigParser.Parse(document.Root, PortalConfigSource);
                    // A portal that accepted the saved cookie without issuing a new one keeps honouring the old one.
                    return new PortalLogin(
                        config,
                        config.PortalUserAuthCookie ?? savedCookie,
                        config.PortalPrelogonUserAuthCookie ?? _saved.PortalPrelogonUserAuthCookie);
                case ServerReply.NotFound notFound when notFound.Kind == PreloginStatus.PortalNotFound:
                    return null;
                case ServerReply.Refused refused when outcome.Challenged:
                    throw new AuthenticationFailedException($"portal {_portal} refused the one-time code: {refused.Message}");
                case ServerReply.NotFound notFound:
                    throw new PortalException($"portal {_portal}: {notFound.Message}");
            }

            // Refused without a challenge: the saved cookie expired, so sign in with the password.
        }

        SubmitOutcome passwordOutcome;
        var what = "login";
        if (prelogin.Saml is { } saml)
        {
            // Single sign-on: the browser's result replaces the password (openconnect's portal:prelogin-cookie). A
            // password that went out early answers nothing here.
            what = "sign-in";
            passwordOutcome = await SignInAsync(saml, $"portal {_portal}", async (result, token) =>
            {
                await EnsureUserAsync(prelogin, token).ConfigureAwait(false);
                return await SubmitAsync(_portal, GpPaths.PortalConfig, SamlForm(_portal, result), PortalConfigSource, "<policy>", token)
                    .ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
            _password ??= await AskPasswordAsync(prelogin.PasswordLabel, cancellationToken).ConfigureAwait(false);
            passwordOutcome = await SubmitAsync(
                    _portal, GpPaths.PortalConfig, Form(_portal, _password), PortalConfigSource, "<policy>", cancellationToken, earlyReply)
                .ConfigureAwait(false);
        }

        switch (passwordOutcome.Reply)
        {
            case ServerReply.Document document:
                var config = PortalConfigParser.Parse(document.Root, PortalConfigSource);
                return new PortalLogin(config, config.PortalUserAuthCookie, config.PortalPrelogonUserAuthCookie);
            case ServerReply.NotFound notFound when notFound.Kind == PreloginStatus.PortalNotFound:
                return null;
            case ServerReply.NotFound notFound:
                throw new PortalException($"portal {_portal}: {notFound.Message}");
            case ServerReply.Refused refused:
                throw new AuthenticationFailedException(passwordOutcome.Challenged
                    ? $"portal {_portal} refused the one-time code: {refused.Message}"
                    : $"portal {_portal} refused the {what} for {_user}: {refused.Message}");
            default:
                throw new GlobalProtectException($"{PortalConfigSource}: unexpected answer from {_portal}");
        }
    }
}
