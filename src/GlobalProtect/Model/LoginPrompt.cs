namespace GlobalProtect;

/// <summary>A question for the user.</summary>
/// <param name="Kind">What is asked for.</param>
/// <param name="Message">The portal's or gateway's own label or prompt text.</param>
/// <param name="Secret">True when the answer must not be echoed or logged.</param>
public sealed record LoginPrompt(LoginPromptKind Kind, string Message, bool Secret)
{
    /// <summary>True when the gateway asks (after the portal's part of the login), false when the portal does.</summary>
    public bool FromGateway { get; init; }

    /// <summary>What to open in the browser, for <see cref="LoginPromptKind.BrowserSignIn"/>.</summary>
    public BrowserSignIn? SignIn { get; init; }
}
