using GlobalProtect.Protocol;
using GlobalProtect.Selection;

namespace GlobalProtect.Client;

/// <summary>The gateway login: portal cookie first, then the password, then a fresh prompt; and gateway-only hosts.</summary>
internal sealed partial class LoginFlow
{
    private const string GatewayLoginSource = "gateway login";

    private async Task<JnlpArguments> GatewayLoginAsync(
        ServerAddress address, GatewayInfo gateway, string? portalCookie, string? prelogonCookie, CancellationToken cancellationToken)
    {
        Report(LoginStage.GatewayLogin, $"Signing in to gateway {gateway.DisplayName}", gateway);
        PreloginResponse? prelogin = null;

        if (portalCookie is not null)
        {
            var form = Form(address, string.Empty) with
            {
                PortalUserAuthCookie = portalCookie,
                PortalPrelogonUserAuthCookie = prelogonCookie,
            };
            var outcome = await SubmitGatewayAsync(address, form, cancellationToken).ConfigureAwait(false);
            if (Accepted(outcome, gateway) is { } jnlp)
            {
                return jnlp;
            }

            // The gateway does not honour the portal's cookie: start over there with credentials.
            prelogin = await GatewayPreloginAsync(address, gateway, cancellationToken).ConfigureAwait(false);
        }

        string? refusal = null;
        if (_password is not null)
        {
            var outcome = await SubmitGatewayAsync(address, Form(address, _password), cancellationToken).ConfigureAwait(false);
            if (Accepted(outcome, gateway) is { } jnlp)
            {
                return jnlp;
            }

            refusal = (outcome.Reply as ServerReply.Refused)?.Message;
        }

        // The gateway wants credentials of its own (another password or a token): ask, with its own label, and
        // with its own words on why the password the portal took was not enough.
        prelogin ??= await GatewayPreloginAsync(address, gateway, cancellationToken).ConfigureAwait(false);
        if (prelogin.Saml is { } saml)
        {
            // The gateway has a sign-in of its own (it refused the portal's cookie, or the portal gave none).
            var signedIn = await SignInAsync(saml, $"gateway {gateway.DisplayName}",
                (result, token) => SubmitGatewayAsync(address, SamlForm(address, result), token), cancellationToken).ConfigureAwait(false);
            return Accepted(signedIn, gateway) ?? throw Refusal(signedIn, gateway);
        }

        var label = refusal is null ? prelogin.PasswordLabel : $"{refusal.TrimEnd('.', ' ')}. {prelogin.PasswordLabel}";
        var password = await AskPasswordAsync(label, cancellationToken, fromGateway: true).ConfigureAwait(false);
        var last = await SubmitGatewayAsync(address, Form(address, password), cancellationToken).ConfigureAwait(false);
        return Accepted(last, gateway) ?? throw Refusal(last, gateway);
    }

    /// <summary>The host answered "GlobalProtect portal does not exist": log in to it as a gateway.</summary>
    private async Task<LoginResult> GatewayOnlyAsync(CancellationToken cancellationToken)
    {
        var gateway = new GatewayInfo(_portal.Authority, _portal.Authority, null);
        // A gateway the user named must still be this host.
        GatewaySelector.Choose([new PortalGateway(_portal.Authority, null, null, [], false)], _request.Gateway, null);

        var prelogin = await GatewayPreloginAsync(_portal, gateway, cancellationToken).ConfigureAwait(false);
        _region ??= prelogin.Region;
        Report(LoginStage.GatewaySelected, $"{_portal} is a gateway, not a portal: signing in to it directly", gateway);

        SubmitOutcome outcome;
        if (prelogin.Saml is { } saml)
        {
            outcome = await SignInAsync(saml, $"gateway {gateway.DisplayName}", async (result, token) =>
            {
                await EnsureUserAsync(prelogin, token, fromGateway: true).ConfigureAwait(false);
                Report(LoginStage.GatewayLogin, $"Signing in to gateway {gateway.DisplayName}", gateway);
                return await SubmitGatewayAsync(_portal, SamlForm(_portal, result), token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EnsureUserAsync(prelogin, cancellationToken, fromGateway: true).ConfigureAwait(false);
            _password ??= await AskPasswordAsync(prelogin.PasswordLabel, cancellationToken, fromGateway: true).ConfigureAwait(false);
            Report(LoginStage.GatewayLogin, $"Signing in to gateway {gateway.DisplayName}", gateway);
            outcome = await SubmitGatewayAsync(_portal, Form(_portal, _password), cancellationToken).ConfigureAwait(false);
        }

        var jnlp = Accepted(outcome, gateway) ?? throw Refusal(outcome, gateway);
        return Finish(gateway, [gateway], jnlp, portalCookie: null, prelogonCookie: null);
    }

    private async Task<PreloginResponse> GatewayPreloginAsync(
        ServerAddress address, GatewayInfo gateway, CancellationToken cancellationToken)
    {
        Report(LoginStage.GatewayPrelogin, $"Contacting gateway {gateway.DisplayName}", gateway);
        var prelogin = await PreloginAsync(address, portal: false, cancellationToken).ConfigureAwait(false);
        if (prelogin.Status is PreloginStatus.GatewayNotFound or PreloginStatus.PortalNotFound)
        {
            throw new PortalException(address.SameAs(_portal)
                ? $"{address} is neither a GlobalProtect portal nor a gateway"
                : $"gateway {address}: {prelogin.Message}");
        }

        EnsureUsable(prelogin, $"gateway {address}");
        return prelogin;
    }

    private Task<SubmitOutcome> SubmitGatewayAsync(ServerAddress address, LoginForm form, CancellationToken cancellationToken) =>
        SubmitAsync(address, GpPaths.GatewayLogin, form, GatewayLoginSource, "<jnlp>", cancellationToken);

    /// <summary>
    /// The jnlp when the gateway accepted; null when it refused the first submission (the caller may try other
    /// credentials). A refused one-time code or a missing gateway ends the login.
    /// </summary>
    private JnlpArguments? Accepted(SubmitOutcome outcome, GatewayInfo gateway) => outcome.Reply switch
    {
        ServerReply.Document document => JnlpParser.Parse(document.Root, GatewayLoginSource),
        ServerReply.Refused when !outcome.Challenged => null,
        _ => throw Refusal(outcome, gateway),
    };

    private GlobalProtectException Refusal(SubmitOutcome outcome, GatewayInfo gateway) => outcome.Reply switch
    {
        ServerReply.NotFound notFound => new PortalException($"gateway {gateway.DisplayName}: {notFound.Message}"),
        ServerReply.Refused refused when outcome.Challenged =>
            new AuthenticationFailedException($"gateway {gateway.DisplayName} refused the one-time code: {refused.Message}"),
        ServerReply.Refused refused =>
            new AuthenticationFailedException($"gateway {gateway.DisplayName} refused the login for {_user}: {refused.Message}"),
        _ => new GlobalProtectException($"{GatewayLoginSource}: unexpected answer from {gateway.DisplayName}"),
    };
}
