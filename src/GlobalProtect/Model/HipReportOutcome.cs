namespace GlobalProtect;

/// <summary>How the host-information exchange after a gateway login ended (failures throw).</summary>
public enum HipReportOutcome
{
    /// <summary>The gateway asked for a report and accepted the one sent.</summary>
    Sent,

    /// <summary>The gateway already had a current report.</summary>
    NotNeeded,
}
