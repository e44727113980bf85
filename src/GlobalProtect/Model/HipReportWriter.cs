namespace GlobalProtect;

/// <summary>
/// Writes the host-information report for <paramref name="facts"/>: the XML document sent to the gateway. The client
/// checks that it is a bounded, well-formed <c>&lt;hip-report&gt;</c> before sending it.
/// </summary>
public delegate Task<string> HipReportWriter(HipReportFacts facts, CancellationToken cancellationToken);
