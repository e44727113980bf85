namespace GpDaemon.Lifecycle;

internal abstract record InstanceLockResult
{
    public sealed record Acquired(InstanceLock Lock) : InstanceLockResult;

    /// <summary>Someone holds <paramref name="LockPath"/>: <paramref name="Owner"/> when it could be found.</summary>
    public sealed record Held(string LockPath, LockOwner? Owner) : InstanceLockResult;
}
