namespace GlobalProtect;

/// <summary>A SAML sign-in the user completes in a browser (docs/globalprotect-protocol.md section 6).</summary>
/// <param name="Post">
/// False: <paramref name="Request"/> is the identity provider's URL (REDIRECT). True: it is an HTML page whose form
/// the browser must submit (POST).
/// </param>
/// <param name="Request">The URL (always http or https) or the HTML page.</param>
/// <param name="Timeout">How long the portal keeps the request open (<c>saml-request-timeout</c>), if it said.</param>
public sealed record BrowserSignIn(bool Post, string Request, TimeSpan? Timeout);
