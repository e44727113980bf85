using System.Security;

namespace GlobalProtect.Tests.Support;

/// <summary>Response bodies in the shapes of docs/globalprotect-protocol.md sections 1-3.</summary>
internal static class Gp
{
    public static string Prelogin(
        string? region = "US",
        string usernameLabel = "Username",
        string passwordLabel = "Password",
        string? samlMethod = null,
        string? samlRequest = null) =>
        $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <prelogin-response>
          <status>Success</status>
          <ccusername/>
          <autosubmit>false</autosubmit>
          <msg/>
          <newmsg/>
          <authentication-message>Enter login credentials</authentication-message>
          <username-label>{Esc(usernameLabel)}</username-label>
          <password-label>{Esc(passwordLabel)}</password-label>
          <panos-version>1</panos-version>
          {(samlMethod is null ? "" : $"<saml-auth-method>{samlMethod}</saml-auth-method>")}
          {(samlRequest is null ? "" : $"<saml-request>{samlRequest}</saml-request>")}
          {(region is null ? "" : $"<region>{region}</region>")}
        </prelogin-response>
        """;

    public static string PreloginError(string message) =>
        $"<prelogin-response><status>Error</status><msg>{Esc(message)}</msg></prelogin-response>";

    public static string Error(string message) =>
        $"<response status=\"error\"><error>{Esc(message)}</error></response>";

    public static string ScriptChallenge(string message, string inputStr) =>
        $"var respStatus = \"Challenge\";\nvar respMsg = \"{message}\";\nthisForm.inputStr.value = \"{inputStr}\";\n";

    public static string ScriptError(string message) =>
        $"var respStatus = \"Error\";\nvar respMsg = \"{message}\";\nthisForm.inputStr.value = \"\";\n";

    public static string XmlChallenge(string user, string message, string inputStr) =>
        $"<challenge><user>{Esc(user)}</user><inputstr>{Esc(inputStr)}</inputstr><respmsg>{Esc(message)}</respmsg></challenge>";

    public static string Gateway(string address, string? description = null, int? priority = null, params (string Region, int Priority)[] rules) =>
        $"""
        <entry name="{Esc(address)}">
          {(rules.Length == 0 ? "" : "<priority-rule>" + string.Concat(rules.Select(r => $"<entry name=\"{Esc(r.Region)}\"><priority>{r.Priority}</priority></entry>")) + "</priority-rule>")}
          {(priority is null ? "" : $"<priority>{priority}</priority>")}
          <manual>yes</manual>
          {(description is null ? "" : $"<description>{Esc(description)}</description>")}
        </entry>
        """;

    public static string Policy(
        IEnumerable<string> external,
        IEnumerable<string>? @internal = null,
        string? portalCookie = null,
        string? prelogonCookie = null,
        string portalName = "GP-Portal") =>
        $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <policy>
          <portal-name>{Esc(portalName)}</portal-name>
          <portal-config-version>4100</portal-config-version>
          <version>10.2.4</version>
          <client-role>global-protect-full</client-role>
          <agent-user-override-key>****</agent-user-override-key>
          <root-ca><entry name="Corp Root"><cert>-----BEGIN CERTIFICATE-----
        MIIB
        -----END CERTIFICATE-----</cert><install-in-cert-store>yes</install-in-cert-store></entry></root-ca>
          <gateways>
            <cutoff-time>5</cutoff-time>
            <external><list>{string.Concat(external)}</list></external>
            {(@internal is null ? "" : $"<internal><list>{string.Concat(@internal)}</list></internal>")}
          </gateways>
          <hip-collection><max-wait-time>20</max-wait-time><hip-report-interval>3600</hip-report-interval></hip-collection>
          <portal-userauthcookie>{Esc(portalCookie ?? "empty")}</portal-userauthcookie>
          <portal-prelogonuserauthcookie>{Esc(prelogonCookie ?? "empty")}</portal-prelogonuserauthcookie>
        </policy>
        """;

    /// <summary>A jnlp with the positional arguments of docs/globalprotect-protocol.md section 3.</summary>
    public static string Jnlp(
        string authCookie,
        string user,
        string? portal = "GP-Portal",
        string? domain = "%28empty_domain%29",
        string connectionType = "tunnel",
        string? preferredIp = null,
        string? preferredIpv6 = null,
        string? portalCookie = null)
    {
        string?[] args =
        [
            "(null)", authCookie, "0123456789abcdef0123456789abcdef01234567", portal, user, "LDAP-auth", "vsys1", domain,
            "(null)", "", "", "", connectionType, "-1", "4100", preferredIp, portalCookie, null, preferredIpv6,
        ];
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><jnlp><application-desc>" +
               string.Concat(args.Select(a => $"<argument>{Esc(a ?? "")}</argument>")) +
               "</application-desc></jnlp>";
    }

    private static string Esc(string text) => SecurityElement.Escape(text);
}
