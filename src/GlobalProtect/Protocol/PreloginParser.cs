using System.Text;
using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>Reads prelogin responses: <c>&lt;prelogin-response&gt;</c>, or an error document.</summary>
internal static class PreloginParser
{
    public const string PortalNotFoundMessage = "GlobalProtect portal does not exist";
    public const string GatewayNotFoundMessage = "GlobalProtect gateway does not exist";

    public static PreloginResponse Parse(string body, string source = "prelogin")
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new GlobalProtectException($"{source}: empty response where <prelogin-response> was expected");
        }

        var root = GpXml.ParseRoot(body, source, "<prelogin-response>");
        if (GpXml.Is(root, "response"))
        {
            // Some servers answer prelogin with the generic error document.
            var error = GpXml.DisplayText(root, "error") ?? GpXml.DisplayText(root, "msg") ?? "the server reported an error";
            return Failed(error);
        }

        if (!GpXml.Is(root, "prelogin-response"))
        {
            throw new GlobalProtectException($"{source}: expected <prelogin-response>, got <{root.Name.LocalName}>");
        }

        var status = GpXml.Text(root, "status");
        var message = GpXml.DisplayText(root, "msg");
        // A missing status is taken as success, as openconnect does.
        if (status is not null && !status.Equals("Success", StringComparison.OrdinalIgnoreCase))
        {
            return Failed(message ?? $"prelogin status {GpText.UntrustedText.Clean(status)}");
        }

        return new PreloginResponse(
            PreloginStatus.Success,
            message,
            GpXml.DisplayText(root, "authentication-message"),
            GpXml.DisplayText(root, "username-label") ?? "Username",
            GpXml.DisplayText(root, "password-label") ?? "Password",
            GpXml.Text(root, "region"),
            ReadSaml(root));
    }

    /// <summary>Classifies a server error text: "portal/gateway does not exist" are answers, not failures.</summary>
    public static PreloginStatus Classify(string message)
    {
        if (message.Equals(PortalNotFoundMessage, StringComparison.OrdinalIgnoreCase))
        {
            return PreloginStatus.PortalNotFound;
        }

        return message.Equals(GatewayNotFoundMessage, StringComparison.OrdinalIgnoreCase)
            ? PreloginStatus.GatewayNotFound
            : PreloginStatus.Error;
    }

    private static PreloginResponse Failed(string message) =>
        new(Classify(message), message, null, "Username", "Password", null, null);

    private static SamlLogin? ReadSaml(XElement root)
    {
        var method = GpXml.Text(root, "saml-auth-method");
        var request = GpXml.Text(root, "saml-request");
        if (method is null && request is null)
        {
            return null;
        }

        var kind = method?.ToUpperInvariant() switch
        {
            "REDIRECT" => SamlMethod.Redirect,
            "POST" => SamlMethod.Post,
            _ => SamlMethod.Unknown,
        };
        var defaultBrowser = string.Equals(GpXml.Text(root, "saml-default-browser"), "yes", StringComparison.OrdinalIgnoreCase);
        return new SamlLogin(kind, request is null ? null : DecodeBase64(request), defaultBrowser, ReadTimeout(root));
    }

    /// <summary>The <c>saml-request-timeout</c> in seconds; absent, unreadable or beyond a day means none.</summary>
    private static TimeSpan? ReadTimeout(XElement root) =>
        int.TryParse(GpXml.Text(root, "saml-request-timeout"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string DecodeBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : text;
    }
}
