namespace GpTunnel;

/// <summary>What <see cref="OpenConnectSupervisor.StopLeftoverAsync"/> found.</summary>
public enum LeftoverOutcome
{
    /// <summary>No pid file: nothing was left behind.</summary>
    None,

    /// <summary>A pid file whose process is gone, or whose content is unusable. The file was removed.</summary>
    Stale,

    /// <summary>The pid belongs to some other process now (reused pid). It was left alone; the file was removed.</summary>
    NotOurs,

    /// <summary>Our openconnect was running and exited after SIGTERM (it logged out).</summary>
    Stopped,

    /// <summary>Our openconnect ignored SIGTERM for StopTimeout and was killed.</summary>
    Killed,

    /// <summary>It survived even SIGKILL for a few seconds (uninterruptible sleep). The file was kept.</summary>
    StillRunning,
}
