using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>The portal getconfig: with a saved portal cookie first, then with the password or a browser sign-in.</summary>
internal sealed partial class LoginFlow
{
    private const string PortalConfigSource = "portal getconfig";

    /// <summary>The portal's config, or null when the portal says it is no portal (the host is only a gateway).</summary>
    private async Task<PortalLogin?> PortalLoginAsync(PreloginResponse prelogin, CancellationToken cancellationToken)
    {
        Report(LoginStage.PortalConfig, $"Signing in to portal {_portal}");
        if (_saved?.PortalUserAuthCookie is { } savedCookie)
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

        LoginForm credentials;
        var what = "login";
        if (prelogin.Saml is { } saml)
        {
            // Single sign-on: the browser's result replaces the password (openconnect's portal:prelogin-cookie).
            var result = await BrowserSignInAsync(saml, $"portal {_portal}", cancellationToken).ConfigureAwait(false);
            await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
            credentials = SamlForm(_portal, result);
            what = "sign-in";
        }
        else
        {
            await EnsureUserAsync(prelogin, cancellationToken).ConfigureAwait(false);
            _password ??= await AskPasswordAsync(prelogin.PasswordLabel, cancellationToken).ConfigureAwait(false);
            credentials = Form(_portal, _password);
        }

        var passwordOutcome = await SubmitAsync(
                _portal, GpPaths.PortalConfig, credentials, PortalConfigSource, "<policy>", cancellationToken)
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
                    : $"portal {_portal} refused the {what} for {_user}: {refused.Message}");
            default:
                throw new GlobalProtectException($"{PortalConfigSource}: unexpected answer from {_portal}");
        }
    }
}
