namespace GlobalProtect.Protocol;

/// <summary>A parsed prelogin response (docs/globalprotect-protocol.md section 1).</summary>
/// <param name="Status">Success, or why not.</param>
/// <param name="Message">The server's <c>msg</c> (the error text when Status is not Success).</param>
/// <param name="AuthenticationMessage">The banner for the login form.</param>
/// <param name="UsernameLabel">The label for the user name field ("Username" when the server gives none).</param>
/// <param name="PasswordLabel">The label for the secret field ("Password" when the server gives none).</param>
/// <param name="Region">The client's region, used for gateway priority rules.</param>
/// <param name="Saml">Set when the server requires SAML.</param>
internal sealed record PreloginResponse(
    PreloginStatus Status,
    string? Message,
    string? AuthenticationMessage,
    string UsernameLabel,
    string PasswordLabel,
    string? Region,
    SamlLogin? Saml);
