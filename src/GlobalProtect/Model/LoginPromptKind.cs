namespace GlobalProtect;

/// <summary>What a prompt asks for.</summary>
public enum LoginPromptKind
{
    Username,
    Password,
    Challenge,

    /// <summary>
    /// A SAML sign-in in the browser (<see cref="LoginPrompt.SignIn"/>); the answer is the
    /// <c>globalprotectcallback:</c> link, the final page's result, or the bare cookie.
    /// </summary>
    BrowserSignIn,
}
