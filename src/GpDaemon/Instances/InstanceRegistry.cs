using System.Text;
using GpControl;
using GpDaemon.Config;
using GpDaemon.Logging;
using GpTunnel;
using GpTunnel.Interop;
using GpTunnel.Launch;
using Microsoft.Extensions.Logging;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Instances;

/// <summary>
/// Keeps two instances from taking the same interface or the same portal and user. Each instance publishes what it
/// holds as a root-owned file in its own runtime directory (<see cref="InstanceClaim"/>); a connect reads its siblings'
/// files and writes its own under one lock file in the default instance's runtime directory, so of two instances
/// racing for the same thing exactly one gets it.
/// </summary>
internal sealed partial class InstanceRegistry : IDisposable
{
    public const string ClaimFileName = "claim";
    public const string LockFileName = "instances.lock";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

    private readonly DaemonPaths _paths;
    private readonly ILogger<InstanceRegistry> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ulong _startTime;
    private bool _held;

    public InstanceRegistry(DaemonPaths paths, ILogger<InstanceRegistry> logger)
    {
        _paths = paths;
        _logger = logger;
        _startTime = ProcStat.Read(Environment.ProcessId)?.StartTime ?? 0;
        // A claim left by a previous daemon of this instance (killed) is ours to drop: we hold its lock now.
        File.Delete(ClaimPath);
    }

    private string ClaimPath => Path.Combine(_paths.RuntimeDirectory, ClaimFileName);

    /// <summary>
    /// Claims <paramref name="portal"/> and <paramref name="user"/> and the tunnel's interface for this instance, or
    /// throws <see cref="InstanceClaimException"/> naming the live instance that holds one of them. Claiming again
    /// (after the login, once the user is known) replaces this instance's claim.
    /// </summary>
    public async Task ClaimAsync(string portal, string? user, string? configuredInterface, CancellationToken cancellationToken)
    {
        var mine = new InstanceClaim(_paths.Instance, Environment.ProcessId, _startTime,
            configuredInterface ?? _paths.DefaultInterface, portal, user);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int lockFd = await LockAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (string directory in SiblingDirectories())
                {
                    if (ReadClaim(Path.Combine(directory, ClaimFileName)) is not { } theirs || !IsAlive(theirs))
                    {
                        continue;
                    }
                    if (mine.ConflictWith(theirs) is { } what)
                    {
                        string other = InstanceName.Describe(theirs.Instance);
                        LogRefused(_logger, what, other);
                        throw new InstanceClaimException(
                            $"{what} is already in use by {other}; disconnect it there first "
                            + $"(gpctl{(theirs.Instance is null ? "" : $" --instance {theirs.Instance}")} disconnect)"
                            + (what.StartsWith("interface", StringComparison.Ordinal) ? " or give this instance another [openconnect] interface" : ""));
                    }
                }
                AtomicFile.Write(ClaimPath, mine.Format(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                _held = true;
                LogClaimed(_logger, mine.Interface, portal, user);
            }
            finally
            {
                close(lockFd);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops the claim when <paramref name="idle"/> still says the instance holds no connection. Asked under the same
    /// gate as a claim, so a late notice about an old attempt cannot drop the claim of the next one.
    /// </summary>
    public async Task ReleaseAsync(Func<bool> idle, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_held && idle())
            {
                File.Delete(ClaimPath);
                _held = false;
                LogReleased(_logger);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The runtime directories of every other instance: the default one's and its subdirectories.</summary>
    private IEnumerable<string> SiblingDirectories()
    {
        string root = _paths.InstancesRoot;
        if (_paths.Instance is not null)
        {
            yield return root;
        }
        IEnumerable<string> directories;
        try
        {
            directories = Directory.GetDirectories(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string directory in directories)
        {
            if (InstanceName.Validate(Path.GetFileName(directory)) is null
                && !string.Equals(Path.GetFullPath(directory), _paths.RuntimeDirectory, StringComparison.Ordinal))
            {
                yield return directory;
            }
        }
    }

    /// <summary>A sibling's claim, trusted only as a regular file of our own user that nobody else may write.</summary>
    private static unsafe InstanceClaim? ReadClaim(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = name)
        {
            fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0);
        }
        if (fd < 0)
        {
            return null;
        }
        try
        {
            stat st;
            if (fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
            {
                return null;
            }
            byte[] buffer = new byte[InstanceClaim.MaxBytes];
            long n;
            fixed (byte* b = buffer)
            {
                n = read(fd, b, (size_t)buffer.Length);
            }
            return n > 0 ? InstanceClaim.Parse(Encoding.UTF8.GetString(buffer, 0, (int)n)) : null;
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>A claim of a daemon that died without dropping it holds nothing.</summary>
    private static bool IsAlive(InstanceClaim claim) =>
        ProcStat.Read(claim.ProcessId) is { IsZombie: false } stat && stat.StartTime == claim.StartTime;

    /// <summary>flock on the lock file every instance shares; held only while the claims are read and written.</summary>
    private async Task<int> LockAsync(CancellationToken cancellationToken)
    {
        string path = Path.Combine(_paths.InstancesRoot, LockFileName);
        int fd = OpenLockFile(path);
        DateTime deadline = DateTime.UtcNow + LockTimeout;
        while (Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB) != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                close(fd);
                throw new InstanceClaimException($"{path} stayed locked by another instance for {LockTimeout.TotalSeconds:0} s; try again");
            }
            try
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                close(fd);
                throw;
            }
        }
        return fd;
    }

    private static unsafe int OpenLockFile(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = name)
        {
            fd = open(p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
        }
        if (fd < 0)
        {
            throw new InstanceClaimException(Native.LastError($"cannot open {path}").Message);
        }
        stat st;
        if (fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG || st.st_uid != geteuid())
        {
            close(fd);
            throw new InstanceClaimException($"{path} is not a file of gpdaemon's own user; remove it");
        }
        return fd;
    }

    public void Dispose()
    {
        // The daemon stops: its tunnel is gone, and so is its claim.
        if (_held)
        {
            File.Delete(ClaimPath);
            _held = false;
        }
        _gate.Dispose();
    }

    [LoggerMessage(EventId = EventIds.InstanceClaimed, Level = LogLevel.Debug, Message = "Claimed interface {Interface}, portal {Portal}, user {User}")]
    private static partial void LogClaimed(ILogger logger, string? @interface, string portal, string? user);

    [LoggerMessage(EventId = EventIds.InstanceClaimRefused, Level = LogLevel.Warning, Message = "Connect refused: {What} is in use by {Other}")]
    private static partial void LogRefused(ILogger logger, string what, string other);

    [LoggerMessage(EventId = EventIds.InstanceClaimReleased, Level = LogLevel.Debug, Message = "Released this instance's claim")]
    private static partial void LogReleased(ILogger logger);
}
