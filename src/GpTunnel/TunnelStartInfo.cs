using System.Text;

namespace GpTunnel;

/// <summary>What one openconnect run needs from the login.</summary>
/// <param name="Gateway">host[:port] of the gateway.</param>
/// <param name="Cookie">The session cookie (secret): written to openconnect's stdin only.</param>
/// <param name="ServerCert">Optional pin, openconnect syntax ("pin-sha256:...").</param>
/// <param name="CaFile">Optional CA bundle.</param>
/// <param name="ClientOs">--os value: linux-64, win, mac-intel.</param>
public sealed record TunnelStartInfo(
    string Gateway,
    string Cookie,
    string? ServerCert,
    string? CaFile,
    string ClientOs = "linux-64")
{
    // The cookie must never reach a log line through ToString().
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Gateway = ").Append(Gateway)
            .Append(", Cookie = ***")
            .Append(", ServerCert = ").Append(ServerCert)
            .Append(", CaFile = ").Append(CaFile)
            .Append(", ClientOs = ").Append(ClientOs);
        return true;
    }
}
