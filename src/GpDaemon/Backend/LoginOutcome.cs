using GpControl;

namespace GpDaemon.Backend;

/// <summary>A successful login; <see cref="Session"/> is the backend's own (secret-bearing) login, which starts the tunnels.</summary>
internal sealed record LoginOutcome(string Portal, string User, Gateway Gateway, IReadOnlyList<Gateway> Gateways, IVpnSession Session)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Portal = ").Append(Portal).Append(", User = ").Append(User).Append(", Gateway = ").Append(Gateway.Name);
        return true;
    }
}
