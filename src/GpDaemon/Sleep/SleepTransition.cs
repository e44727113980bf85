namespace GpDaemon.Sleep;

/// <summary>What logind announced with PrepareForSleep.</summary>
internal enum SleepTransition
{
    /// <summary>PrepareForSleep(true): the machine suspends or hibernates in a moment.</summary>
    GoingToSleep,

    /// <summary>PrepareForSleep(false): the machine woke up; the tunnel's TCP and UDP flows are likely dead.</summary>
    Resumed,
}
