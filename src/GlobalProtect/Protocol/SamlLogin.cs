namespace GlobalProtect.Protocol;

/// <summary>The portal requires SAML sign-in in a browser (docs/globalprotect-protocol.md section 6).</summary>
/// <param name="Method">REDIRECT (Request is a URL) or POST (Request is an HTML form).</param>
/// <param name="Request">The decoded <c>saml-request</c>, or the raw text when it is not base64.</param>
/// <param name="Timeout">The <c>saml-request-timeout</c>, when the server gave a sane one.</param>
internal sealed record SamlLogin(SamlMethod Method, string? Request, bool DefaultBrowser, TimeSpan? Timeout = null);
