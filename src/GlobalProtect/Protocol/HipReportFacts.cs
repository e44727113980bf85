namespace GlobalProtect.Protocol;

/// <summary>What a HIP report says about this host; none of it is secret.</summary>
internal sealed record HipReportFacts(
    string Md5,
    string User,
    string Domain,
    string Computer,
    string HostId,
    string ClientIp,
    string ClientVersion,
    string OsName,
    DateTimeOffset GeneratedAt);
