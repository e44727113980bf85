using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>Reads the gateway login's <c>&lt;jnlp&gt;&lt;application-desc&gt;&lt;argument&gt;...</c>.</summary>
internal static class JnlpParser
{
    private const int AuthCookieIndex = 1;
    private const int UserIndex = 4;
    private const int ConnectionTypeIndex = 12;

    public static JnlpArguments Parse(string xml, string source = "gateway login") =>
        Parse(GpXml.ParseRoot(xml, source, "<jnlp>"), source);

    public static JnlpArguments Parse(XElement root, string source = "gateway login")
    {
        if (!GpXml.Is(root, "jnlp"))
        {
            throw new GlobalProtectException($"{source}: expected <jnlp>, got <{root.Name.LocalName}>");
        }

        var description = GpXml.Child(root, "application-desc")
            ?? throw new GlobalProtectException($"{source}: <jnlp> without <application-desc>");
        var arguments = GpXml.Children(description, "argument").Select(a => Value(a.Value)).ToList();
        string? At(int index) => index < arguments.Count ? arguments[index] : null;

        var connectionType = At(ConnectionTypeIndex);
        if (connectionType != "tunnel")
        {
            var actual = connectionType is null ? "missing" : $"'{GpText.UntrustedText.Clean(connectionType)}'";
            throw new GlobalProtectException($"{source}: jnlp argument {ConnectionTypeIndex} is {actual}, expected 'tunnel'");
        }

        var authCookie = At(AuthCookieIndex)
            ?? throw new GlobalProtectException($"{source}: jnlp argument {AuthCookieIndex} (authcookie) is missing");
        var user = At(UserIndex)
            ?? throw new GlobalProtectException($"{source}: jnlp argument {UserIndex} (user) is missing");

        return new JnlpArguments(
            AuthCookie: authCookie,
            PersistentCookie: At(2),
            PortalName: At(3),
            User: user,
            AuthenticationSource: At(5),
            Configuration: At(6),
            Domain: At(7),
            ConnectionType: connectionType,
            PasswordExpirationDays: At(13),
            ClientVersion: At(14),
            PreferredIp: At(15),
            PortalUserAuthCookie: PortalConfigParser.Cookie(At(16)),
            PortalPrelogonUserAuthCookie: PortalConfigParser.Cookie(At(17)),
            PreferredIpv6: At(18));
    }

    /// <summary>
    /// Gateways write <c>(null)</c>, an empty string or <c>-1</c> for "no value". Values are URL-encoded in the
    /// jnlp (a domain reads <c>%28empty_domain%29</c>); openconnect decodes each one, and so does this.
    /// </summary>
    private static string? Value(string raw)
    {
        var value = raw.Trim();
        if (value.Length == 0 || value is "(null)" or "-1" or "\"\"")
        {
            return null;
        }

        var decoded = FormEncoding.Unescape(value);
        return decoded.Length == 0 ? null : decoded;
    }
}
