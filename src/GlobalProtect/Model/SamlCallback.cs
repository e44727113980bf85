using GlobalProtect.Protocol;

namespace GlobalProtect;

/// <summary>Checks the answer to a browser sign-in before a login takes it (docs/globalprotect-protocol.md section 6).</summary>
public static class SamlCallback
{
    /// <summary>The scheme the portal's last page sends the browser to.</summary>
    public const string Scheme = "globalprotectcallback";

    /// <summary>
    /// Null when <paramref name="answer"/> is a usable sign-in result (a <c>globalprotectcallback:</c> link, the final
    /// page's text, or a bare cookie); else why not, in a sentence that never quotes a secret.
    /// </summary>
    public static string? Problem(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            _ = SamlCallbackParser.Parse(answer);
            return null;
        }
        catch (GlobalProtectException e)
        {
            return e.Message;
        }
    }
}
