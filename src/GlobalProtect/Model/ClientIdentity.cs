namespace GlobalProtect;

/// <summary>How the client presents itself to the portal and gateway.</summary>
/// <param name="ClientOs">The <c>clientos</c> value: Linux, Mac or Windows (some portals admit only some).</param>
/// <param name="ClientVersion">The <c>clientVer</c> value.</param>
/// <param name="OsVersion">The <c>os-version</c> value.</param>
/// <param name="Computer">The <c>computer</c> value; null means <see cref="Environment.MachineName"/>.</param>
/// <param name="UserAgent">The HTTP User-Agent; older gateways insist on <c>PAN GlobalProtect</c>.</param>
/// <param name="HostId">The prelogin's <c>host-id</c>; null means one derived from the computer name.</param>
public sealed record ClientIdentity(
    string ClientOs = "Linux",
    string ClientVersion = "4100",
    string OsVersion = "linux-64",
    string? Computer = null,
    string UserAgent = "PAN GlobalProtect",
    string? HostId = null)
{
    /// <summary>The computer name actually sent.</summary>
    public string EffectiveComputer => string.IsNullOrEmpty(Computer) ? Environment.MachineName : Computer;

    /// <summary>The host-id actually sent: stable for a computer, in the GUID form the official clients use.</summary>
    public string EffectiveHostId => string.IsNullOrEmpty(HostId)
        ? new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("gpdaemon host " + EffectiveComputer)).AsSpan(0, 16)).ToString()
        : HostId;
}
