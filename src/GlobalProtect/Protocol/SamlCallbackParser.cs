using System.Net;
using System.Text;

namespace GlobalProtect.Protocol;

/// <summary>
/// Reads the result of a browser sign-in (docs/globalprotect-protocol.md section 6): a <c>globalprotectcallback:</c>
/// link (base64 document or the CAS form), the final page's HTML or headers, or a bare cookie. Bounded and lenient;
/// every refusal is a <see cref="GlobalProtectException"/> whose message never quotes a cookie.
/// </summary>
internal static class SamlCallbackParser
{
    public const int MaxInputChars = 16 * 1024;
    private const int MaxCookieChars = 4096;
    private const int MaxUserChars = 256;
    private const int MinCookieChars = 4;
    private const string Prefix = SamlCallback.Scheme + ":";

    public static SamlResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxInputChars)
        {
            throw Invalid($"the sign-in result is longer than {MaxInputChars} characters");
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            throw Invalid("the sign-in result is empty");
        }

        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            // Some portal versions write "globalprotectcallback:/..." (or "//").
            return ParseData(text[Prefix.Length..].TrimStart('/'));
        }

        if (text.Contains('<'))
        {
            return ParseDocument(text);
        }

        if (IsCas(text))
        {
            return ParseCas(text);
        }

        return IsBareCookie(text)
            ? new SamlResult(null, text, null)
            : throw Invalid($"it is not a {Prefix} link, a sign-in result or a cookie");
    }

    /// <summary>The final page's headers (an embedded browser's view): the same names as the tags.</summary>
    public static SamlResult? FromHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var status = header("saml-auth-status");
        var prelogin = header("prelogin-cookie");
        var portal = header("portal-userauthcookie");
        return status is null && prelogin is null && portal is null
            ? null
            : Result(status, header("saml-username"), prelogin, portal);
    }

    /// <summary>The final page's HTML: the result tags, often inside a comment.</summary>
    public static SamlResult ParseDocument(string document)
    {
        var status = Tag(document, "saml-auth-status");
        var prelogin = Tag(document, "prelogin-cookie");
        var portal = Tag(document, "portal-userauthcookie");
        if (status is null && prelogin is null && portal is null)
        {
            throw Invalid("it holds no saml-auth-status and no cookie");
        }

        return Result(status, Tag(document, "saml-username"), prelogin, portal);
    }

    private static SamlResult ParseData(string data)
    {
        if (data.Length == 0)
        {
            throw Invalid($"the {Prefix} link carries no data");
        }

        // Browsers may percent-encode the link; base64's '+' must survive, so only %xx is decoded here.
        var unescaped = Uri.UnescapeDataString(data);
        if (IsCas(unescaped))
        {
            return ParseCas(unescaped);
        }

        var document = DecodeBase64(unescaped)
            ?? throw Invalid($"the {Prefix} data is neither base64 nor the CAS form");
        return ParseDocument(document);
    }

    private static bool IsCas(string text) =>
        text.StartsWith("cas-as=", StringComparison.OrdinalIgnoreCase) ||
        text.Contains("&cas-as=", StringComparison.OrdinalIgnoreCase);

    private static SamlResult ParseCas(string query)
    {
        string? status = null, user = null, token = null;
        foreach (var pair in query.Split('&', 64))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = FormEncoding.Unescape(pair[(equals + 1)..]);
            switch (pair[..equals].ToLowerInvariant())
            {
                case "cas-as":
                    status = value;
                    break;
                case "un":
                    user = value;
                    break;
                case "token":
                    token = value;
                    break;
            }
        }

        return Result(status, user, token, null, "cas-as");
    }

    private static SamlResult Result(string? status, string? user, string? prelogin, string? portal, string statusName = "saml-auth-status")
    {
        if (status is not null && status.Trim() != "1")
        {
            throw new AuthenticationFailedException(
                $"the identity provider did not sign you in ({statusName} {Printable(status, 16)}): sign in again, or ask your administrator");
        }

        var preloginCookie = Cookie(prelogin, "prelogin-cookie");
        var portalCookie = Cookie(portal, "portal-userauthcookie");
        if (preloginCookie is null && portalCookie is null)
        {
            throw new AuthenticationFailedException("the sign-in result carries no cookie: sign in again");
        }

        var name = user is null ? null : Printable(user, MaxUserChars).Trim();
        return new SamlResult(string.IsNullOrEmpty(name) ? null : name, preloginCookie, portalCookie);
    }

    /// <summary>The cookie, or null for none (absent, the literal "empty", or too short to be one).</summary>
    private static string? Cookie(string? value, string name)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < MinCookieChars || value.Equals("empty", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return IsCookie(value) ? value : throw Invalid($"its {name} has characters no cookie has, or is too long");
    }

    private static bool IsCookie(string text)
    {
        if (text.Length is < MinCookieChars or > MaxCookieChars)
        {
            return false;
        }

        foreach (var c in text)
        {
            // Printable ASCII without space, quotes, '<' '>' '&' '\': what a cookie travels as in a form and a header.
            if (c is <= ' ' or > '~' or '"' or '\'' or '<' or '>' or '&' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A pasted cookie alone: the base64 and URL-safe characters only, so that a URL or a sentence is not taken for one.</summary>
    private static bool IsBareCookie(string text) =>
        IsCookie(text) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_' or '.' or '%');

    /// <summary>The text of the first <c>&lt;name&gt;...&lt;/name&gt;</c>, entity-decoded; null when absent.</summary>
    private static string? Tag(string document, string name)
    {
        var open = document.IndexOf($"<{name}>", StringComparison.OrdinalIgnoreCase);
        if (open < 0)
        {
            return null;
        }

        var start = open + name.Length + 2;
        var close = document.IndexOf($"</{name}>", start, StringComparison.OrdinalIgnoreCase);
        if (close < 0 || close - start > MaxCookieChars)
        {
            return null;
        }

        return WebUtility.HtmlDecode(document[start..close]).Trim();
    }

    private static string? DecodeBase64(string text)
    {
        var normalized = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            switch (c)
            {
                case '-':
                    normalized.Append('+');
                    break;
                case '_':
                    normalized.Append('/');
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    normalized.Append(c);
                    break;
            }
        }

        while (normalized.Length % 4 != 0)
        {
            normalized.Append('=');
        }

        var buffer = new byte[normalized.Length];
        if (!Convert.TryFromBase64String(normalized.ToString(), buffer, out var written))
        {
            return null;
        }

        return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer, 0, written);
    }

    /// <summary>Server text for a message: bounded, control characters replaced.</summary>
    private static string Printable(string text, int max)
    {
        var result = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max)))
        {
            result.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        }

        return result.ToString();
    }

    private static GlobalProtectException Invalid(string why) =>
        new($"the sign-in result was not accepted: {why}. Copy the whole {Prefix} link, or the cookie, and try again");
}
