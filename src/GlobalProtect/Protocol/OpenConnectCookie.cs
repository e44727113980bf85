using System.Text;

namespace GlobalProtect.Protocol;

/// <summary>
/// Builds the line for <c>openconnect --protocol=gp --cookie-on-stdin</c> (docs/globalprotect-protocol.md section 3):
/// <c>authcookie=..&amp;portal=..&amp;user=..&amp;domain=..[&amp;preferred-ip=..][&amp;preferred-ipv6=..]&amp;computer=..</c>,
/// values percent-encoded. Byte for byte what openconnect 9.01 builds from the same jnlp (checked against the
/// real binary): lowercase escapes, and empty optional values left out.
/// </summary>
internal static class OpenConnectCookie
{
    public static string Build(JnlpArguments arguments, string computer)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var cookie = new StringBuilder();
        Append(cookie, "authcookie", arguments.AuthCookie);
        Append(cookie, "portal", arguments.PortalName);
        Append(cookie, "user", arguments.User);
        Append(cookie, "domain", arguments.Domain);
        Append(cookie, "preferred-ip", arguments.PreferredIp);
        Append(cookie, "preferred-ipv6", arguments.PreferredIpv6);
        Append(cookie, "computer", computer);
        return cookie.ToString();
    }

    private static void Append(StringBuilder cookie, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (cookie.Length > 0)
        {
            cookie.Append('&');
        }

        cookie.Append(name).Append('=').Append(FormEncoding.Escape(value));
    }
}
