using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>Requests shared by the portal and gateway steps: prelogin, form submission with challenges, prompts.</summary>
internal sealed partial class LoginFlow
{
    private async Task<PreloginResponse> PreloginAsync(ServerAddress server, bool portal, CancellationToken cancellationToken)
    {
        var source = portal ? "portal prelogin" : "gateway prelogin";
        var reply = await _http.PostAsync(server, GpPaths.Prelogin(portal, _identity), GpPaths.PreloginBody(_identity), source, cancellationToken)
            .ConfigureAwait(false);
        if (reply.StatusCode != 200)
        {
            throw new PortalException($"{source}: {server} answered HTTP {reply.StatusCode}");
        }

        return PreloginParser.Parse(reply.Body, source);
    }

    /// <summary>Refuses prelogin answers a login cannot go on from.</summary>
    private static void EnsureUsable(PreloginResponse prelogin, string who)
    {
        if (prelogin.Status != PreloginStatus.Success)
        {
            throw new PortalException($"{who} refused the prelogin: {prelogin.Message}");
        }
    }

    /// <summary>
    /// POSTs the form and answers each challenge with a one-time code from the prompter. <paramref name="firstReply"/>
    /// is the answer to this same form when it was already sent.
    /// </summary>
    private async Task<SubmitOutcome> SubmitAsync(
        ServerAddress server, string path, LoginForm form, string source, string expected, CancellationToken cancellationToken,
        Task<HttpReply>? firstReply = null)
    {
        var challenged = false;
        for (var round = 0; ; round++)
        {
            var reply = round == 0 && firstReply is not null
                ? await firstReply.ConfigureAwait(false)
                : await _http.PostAsync(server, path, form.Encode(), source, cancellationToken).ConfigureAwait(false);
            var parsed = ServerReplyReader.Read(reply.StatusCode, reply.Body, source, expected, server.Authority);
            if (parsed is not ServerReply.Challenge challenge)
            {
                return new SubmitOutcome(parsed, challenged);
            }

            if (round == MaxChallenges)
            {
                throw new GlobalProtectException($"{source}: {server} asked for more than {MaxChallenges} one-time codes");
            }

            var answer = await _prompter.AskAsync(
                new LoginPrompt(LoginPromptKind.Challenge, challenge.Message, Secret: true) { FromGateway = source == GatewayLoginSource },
                cancellationToken).ConfigureAwait(false);
            form = form with { InputStr = challenge.InputStr, Password = answer ?? string.Empty };
            challenged = true;
        }
    }

    private LoginForm Form(ServerAddress server, string password) =>
        new(_identity, server.BareHost, _user ?? string.Empty, password);

    private async Task EnsureUserAsync(PreloginResponse prelogin, CancellationToken cancellationToken, bool fromGateway = false)
    {
        if (_user is not null)
        {
            return;
        }

        var answer = await _prompter.AskAsync(
            new LoginPrompt(LoginPromptKind.Username, prelogin.UsernameLabel, Secret: false) { FromGateway = fromGateway },
            cancellationToken).ConfigureAwait(false);
        _user = NonEmpty(answer) ?? throw new AuthenticationFailedException("no user name was given");
    }

    private async Task<string> AskPasswordAsync(string label, CancellationToken cancellationToken, bool fromGateway = false)
    {
        var answer = await _prompter.AskAsync(
            new LoginPrompt(LoginPromptKind.Password, label, Secret: true) { FromGateway = fromGateway },
            cancellationToken).ConfigureAwait(false);
        return answer ?? string.Empty;
    }
}
