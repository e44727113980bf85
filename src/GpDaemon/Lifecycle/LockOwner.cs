namespace GpDaemon.Lifecycle;

/// <summary>The process holding a lock the daemon wanted: its pid, its name, and whether it is a gpdaemon.</summary>
internal sealed record LockOwner(int Pid, string? Name, bool IsGpdaemon);
