using System.Text;

namespace FakeGlobalProtect.Server;

/// <summary>A gateway session created by a successful login; its authcookie is a secret.</summary>
public sealed record VpnSession(string AuthCookie, string User, string Ip, string GatewayAddress, string GatewayDescription)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"User = {User}, Ip = {Ip}, GatewayAddress = {GatewayAddress}, GatewayDescription = {GatewayDescription}");
        return true;
    }
}
