using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>SAML sign-in in the user's browser (docs/globalprotect-protocol.md section 6): the prompt, then the cookie in place of a password.</summary>
internal sealed partial class LoginFlow
{
    /// <summary>A POST request's page travels in a prompt message; bounded well under the control socket's message size.</summary>
    private const int MaxPostFormChars = 32 * 1024;

    /// <summary>How many browser sign-ins one login asks for before a refusal ends it.</summary>
    private const int MaxSignIns = 3;

    /// <summary>
    /// Signs in in the browser and submits the result until the server takes it. A result the server refuses (most
    /// often a stale one, from an earlier attempt's browser tab: a prelogin cookie is good for one login) asks for a
    /// new sign-in instead of ending the attempt, a few times at most; a refused one-time code ends it at once.
    /// </summary>
    /// <returns>The last submission's outcome, for the caller to read as it reads a password login's.</returns>
    private async Task<SubmitOutcome> SignInAsync(
        SamlLogin saml, string who, Func<SamlResult, CancellationToken, Task<SubmitOutcome>> submit, CancellationToken cancellationToken)
    {
        string? refusal = null;
        for (var signIn = 1; ; signIn++)
        {
            var result = await BrowserSignInAsync(saml, who, refusal, cancellationToken).ConfigureAwait(false);
            var outcome = await submit(result, cancellationToken).ConfigureAwait(false);
            if (outcome is not { Reply: ServerReply.Refused refused, Challenged: false } || signIn == MaxSignIns)
            {
                return outcome;
            }
            refusal = refused.Message;
        }
    }

    /// <summary>Asks the user to sign in in a browser and reads the result; the user name becomes the one the result names.</summary>
    /// <param name="refusal">Why the previous sign-in was refused, when this one asks again.</param>
    private async Task<SamlResult> BrowserSignInAsync(SamlLogin saml, string who, string? refusal, CancellationToken cancellationToken)
    {
        var signIn = saml.Method switch
        {
            SamlMethod.Redirect when IsWebUrl(saml.Request) => new BrowserSignIn(Post: false, saml.Request!, saml.Timeout),
            SamlMethod.Post when saml.Request is { Length: > 0 and <= MaxPostFormChars } form && form.Contains("<form", StringComparison.OrdinalIgnoreCase) =>
                new BrowserSignIn(Post: true, form, saml.Timeout),
            SamlMethod.Redirect => throw new PortalException($"{who} asks for a SAML sign-in whose address is not an https:// or http:// URL"),
            SamlMethod.Post => throw new PortalException($"{who} asks for a SAML sign-in whose request is not an HTML form of at most {MaxPostFormChars} characters"),
            _ => throw new PortalException($"{who} asks for a SAML sign-in with a method other than REDIRECT or POST"),
        };

        var answer = await _prompter.AskAsync(
            new LoginPrompt(
                LoginPromptKind.BrowserSignIn,
                refusal is null
                    ? $"Sign in to {who} in your browser"
                    : $"{who} refused that sign-in ({refusal.TrimEnd('.', ' ')}): sign in again in your browser",
                Secret: true)
            { SignIn = signIn },
            cancellationToken).ConfigureAwait(false);
        var result = SamlCallbackParser.Parse(answer ?? string.Empty);
        if (result.User is { } user)
        {
            _user = user;
        }

        return result;
    }

    /// <summary>The login form carrying a SAML result instead of a password.</summary>
    private LoginForm SamlForm(ServerAddress server, SamlResult result) => Form(server, string.Empty) with
    {
        PreloginCookie = result.PreloginCookie,
        PortalUserAuthCookie = result.PortalUserAuthCookie,
    };

    private static bool IsWebUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
