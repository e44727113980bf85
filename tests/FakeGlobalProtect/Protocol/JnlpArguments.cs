using System.Text;

namespace FakeGlobalProtect.Protocol;

/// <summary>The values of a gateway login's jnlp reply. The cookies are secrets: ToString omits them.</summary>
public sealed record JnlpArguments(
    string AuthCookie,
    string PersistentCookie,
    string Portal,
    string User,
    string PreferredIp)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Portal = {Portal}, User = {User}, PreferredIp = {PreferredIp}");
        return true;
    }
}
