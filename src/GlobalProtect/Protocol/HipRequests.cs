using System.Security.Cryptography;
using System.Text;

namespace GlobalProtect.Protocol;

/// <summary>
/// The form bodies of the host-information (HIP) exchange after a gateway login, as openconnect 9.01 builds them:
/// the session cookie's fields go in the body (never in a URL), then <c>client-ip</c>, then <c>md5</c> for the check
/// or <c>report</c> for the submission.
/// </summary>
internal static class HipRequests
{
    /// <summary>The cookie fields that change from one login to the next, left out of the report's md5.</summary>
    private static readonly string[] VolatileFields = ["authcookie", "preferred-ip", "preferred-ipv6"];

    /// <summary>The gateway getconfig that tells the client its tunnel address (openconnect asks the same before its own check).</summary>
    public static string GetConfig(string cookie, ClientIdentity identity) =>
        $"client-type=1&protocol-version=p1&internal=no&app-version={FormEncoding.Escape(identity.ClientVersion)}" +
        $"&ipv6-support=yes&clientos={FormEncoding.Escape(identity.ClientOs)}&os-version={FormEncoding.Escape(identity.OsVersion)}" +
        $"&hmac-algo=sha1,md5,sha256&enc-algo=aes-128-cbc,aes-256-cbc&{cookie}";

    public static string Check(string cookie, string clientIp, string md5) =>
        $"client-role=global-protect-full&{cookie}&client-ip={FormEncoding.Escape(clientIp)}&md5={FormEncoding.Escape(md5)}";

    public static string Report(string cookie, string clientIp, string report) =>
        $"client-role=global-protect-full&{cookie}&client-ip={FormEncoding.Escape(clientIp)}&report={FormEncoding.Escape(report)}";

    /// <summary>
    /// Names this host and gateway account across logins: the lowercase hex md5 of the cookie without its volatile
    /// fields, so the gateway asks for a new report only when the user, portal or computer changes.
    /// </summary>
    public static string Md5(string cookie)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        var kept = cookie.Split('&').Where(field => !VolatileFields.Contains(FieldName(field), StringComparer.Ordinal));
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Join('&', kept))));
    }

    /// <summary>A cookie field's value, decoded; null when the cookie has none.</summary>
    public static string? Field(string cookie, string name)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        foreach (var field in cookie.Split('&'))
        {
            if (FieldName(field) == name)
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                return eq < 0 ? string.Empty : FormEncoding.Unescape(field[(eq + 1)..]);
            }
        }

        return null;
    }

    private static string FieldName(string field)
    {
        var eq = field.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? field : field[..eq];
    }
}
