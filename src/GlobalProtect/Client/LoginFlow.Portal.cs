using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>The portal getconfig: with the password when given, else a saved portal cookie first, then the password.</summary>
internal sealed partial class LoginFlow
{
    private const string PortalConfigSource = "portal getconfig";

    /// <summary>
    /// With the user and the password known, the password getconfig needs nothing from the prelogin, so it goes out
    /// at the same time (on a second connection) and saves a round trip. Its answer is read only once the prelogin
    /// says that a password login goes on; otherwise it is cancelled and dropped. Only for a portal signed in to
    /// before (a saved session): a first contact waits for the prelogin, so that no password is sent to a portal
    /// that turns out to want SAML.
    /// </summary>
    private EarlyRequest? EarlyPortalConfig(CancellationToken cancellationToken) =>
        _saved is null || _user is null || _password is null
            ? null
            : new EarlyRequest(
                token => _http.PostAsync(_portal, GpPaths.PortalConfig, Form(_portal, _password).Encode(), PortalConfigSource, token),
                cancellationToken);

    /// <summary>The portal's config, or null when the portal says it is no portal (the host is only a gateway).</summary>
    /// <param name="prelogin">The portal's prelogin answer.</param>
    /// <param name="earlyReply">The password getconfig's answer, when it was sent together with the prelogin.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    private async Task<PortalLogin?> PortalLoginAsync(PreloginResponse prelogin, Task<HttpReply>? earlyReply, CancellationToken cancellationToken)
    {
        Report(LoginStage.PortalConfig, $"Signing in to portal {_portal}");
        // The saved cookie spares a prompt; with the password already given it would only add a round trip when
        // the portal has expired it, so the password goes first.
        if (earlyReply is null && _password is null && _saved?.PortalUserAuthCookie is { } savedCookie)
        {
            await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
            var form = Form(_portal, string.Empty) with
            {
                PortalUserAuthCookie = savedCookie,
                PortalPrelogonUserAuthCookie = _saved.PortalPrelogonUserAuthCookie,
            };
            var outcome = await SubmitAsync(_portal, GpPaths.PortalConfig, form, PortalConfigSource, "<policy>", cancellationToken)
                .ConfigureAwait(false);
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

        await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
        _password ??= await AskPasswordAsync(prelogin.PasswordLabel, cancellationToken).ConfigureAwait(false);
        var passwordOutcome = await SubmitAsync(
                _portal, GpPaths.PortalConfig, Form(_portal, _password), PortalConfigSource, "<policy>", cancellationToken, earlyReply)
            .ConfigureAwait(false);
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
                    : $"portal {_portal} refused the login for {_user}: {refused.Message}");
            default:
                throw new GlobalProtectException($"{PortalConfigSource}: unexpected answer from {_portal}");
        }
    }
}
