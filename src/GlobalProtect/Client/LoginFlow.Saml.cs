using GlobalProtect.Protocol;

namespace GlobalProtect.Client;

/// <summary>SAML sign-in in the user's browser (docs/globalprotect-protocol.md section 6): the prompt, then the cookie in place of a password.</summary>
internal sealed partial class LoginFlow
{
    /// <summary>A POST request's page travels in a prompt message; bounded well under the control socket's message size.</summary>
    private const int MaxPostFormChars = 32 * 1024;

    /// <summary>Asks the user to sign in in a browser and reads the result; the user name becomes the one the result names.</summary>
    private async Task<SamlResult> BrowserSignInAsync(SamlLogin saml, string who, CancellationToken cancellationToken)
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
            new LoginPrompt(LoginPromptKind.BrowserSignIn, $"Sign in to {who} in your browser", Secret: true) { SignIn = signIn },
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
