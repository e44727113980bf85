using GlobalProtect.Protocol;

namespace GlobalProtect;

/// <summary>What a HIP report says about this host; none of it is secret.</summary>
/// <param name="Md5">The md5 the gateway's report check carried, which the report must repeat.</param>
/// <param name="User">The session cookie's <c>user</c>, decoded.</param>
/// <param name="Domain">The session cookie's <c>domain</c>, decoded.</param>
/// <param name="Computer">The session cookie's <c>computer</c> (or the client's computer name), decoded.</param>
/// <param name="HostId">The client's host-id.</param>
/// <param name="ClientIp">The tunnel IPv4 address the gateway assigned.</param>
/// <param name="ClientVersion">The client version the client presents.</param>
/// <param name="OsName">The operating system's name, e.g. "Debian GNU/Linux 12 (bookworm)".</param>
/// <param name="GeneratedAt">When the report is made.</param>
public sealed record HipReportFacts(
    string Md5,
    string User,
    string Domain,
    string Computer,
    string HostId,
    string ClientIp,
    string ClientVersion,
    string OsName,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The tunnel IPv6 address the gateway assigned, if any.</summary>
    public string? ClientIpv6 { get; init; }

    /// <summary>The client OS in GlobalProtect's form: Linux, Mac or Windows.</summary>
    public string ClientOs { get; init; } = "Linux";

    /// <summary>
    /// The session cookie's <c>user</c>, <c>domain</c> and <c>computer</c> fields, encoded as in the cookie: all that
    /// openconnect's hipreport.sh reads of the cookie it is given, without the secret fields.
    /// </summary>
    public string IdentityCookie =>
        $"user={FormEncoding.Escape(User)}&domain={FormEncoding.Escape(Domain)}&computer={FormEncoding.Escape(Computer)}";
}
