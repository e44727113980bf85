using System.Text;
using GpTunnel.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Lifecycle;

/// <summary>
/// Proof that this process is the only gpdaemon for a runtime directory: flock(LOCK_EX|LOCK_NB) on the pid file,
/// held for the process's life. The kernel drops the lock when the process dies, so a crash leaves nothing stale;
/// the file's content (our pid) is only information for humans and for the "already running" message.
/// flock(2) works on a descriptor opened read-only, so nothing locked here may be openable by another user: the pid
/// file is 0600 and the runtime directory readable by its owner only (others keep the search bit, for the socket).
/// </summary>
internal sealed unsafe class InstanceLock : IDisposable
{
    private readonly int _directoryFd;
    private int _fd;
    private bool _disposed;

    private InstanceLock(string path, int directoryFd, int fd)
    {
        Path = path;
        _directoryFd = directoryFd;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>Who held the runtime directory's lock at start (not a gpdaemon), when the daemon started without it.</summary>
    public LockOwner? DirectoryHeldBy { get; private init; }

    private static void CloseIfOpen(int fd)
    {
        if (fd >= 0)
        {
            close(fd);
        }
    }

    /// <summary>
    /// Takes the lock, or reports who holds it. The runtime directory itself is locked too, so that deleting or
    /// replacing the pid file under a running daemon does not let a second one in.
    /// </summary>
    public static InstanceLockResult TryAcquire(string path)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        int directoryFd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        try
        {
            MakeUnlistable(directory, directoryFd);
        }
        catch
        {
            close(directoryFd);
            throw;
        }
        LockOwner? directoryHeldBy = null;
        if (!TryLock(directoryFd, directory))
        {
            LockOwner? owner = FindOwner(directoryFd, path);
            close(directoryFd);
            if (owner is null or { IsGpdaemon: true })
            {
                return new InstanceLockResult.Held(directory, owner);
            }
            // Something else opened the directory while it was still listable, and holds it. The pid file's lock, which
            // no other user can take, still keeps this daemon the only one: start, and only lose the protection
            // against a deleted pid file while that lasts.
            directoryFd = -1;
            directoryHeldBy = owner;
        }
        // A previous owner unlinks the file on exit; retry when the file we locked is no longer the one at the path.
        for (int attempt = 0; attempt < 10; attempt++)
        {
            int fd = OpenPidFile(path);
            if (!TryLock(fd, path))
            {
                LockOwner? owner = FindOwner(fd, path);
                close(fd);
                CloseIfOpen(directoryFd);
                return new InstanceLockResult.Held(path, owner);
            }
            if (!StillLinked(path, fd))
            {
                close(fd);
                continue;
            }
            WritePid(path, fd);
            return new InstanceLockResult.Acquired(new InstanceLock(path, directoryFd, fd) { DirectoryHeldBy = directoryHeldBy });
        }
        CloseIfOpen(directoryFd);
        throw new IOException($"cannot lock {path}: the file keeps being replaced");
    }

    /// <summary>
    /// Takes the read bits from group and others (keeping search, so the socket inside stays reachable): opening a
    /// directory to flock it needs read permission. systemd creates it so (RuntimeDirectoryMode=0711); this covers a
    /// directory made by hand.
    /// </summary>
    private static void MakeUnlistable(string directory, int fd)
    {
        stat st;
        if (fstat(fd, &st) != 0)
        {
            throw new IOException(Native.LastError($"cannot check {directory}").Message);
        }
        uint mode = (uint)st.st_mode & 0xfff;
        uint readable = (uint)(S_IRGRP | S_IROTH);
        if ((mode & readable) != 0 && (uint)st.st_uid == geteuid() && fchmod(fd, (mode_t)(mode & ~readable)) != 0)
        {
            throw new IOException(Native.LastError($"cannot make {directory} private").Message);
        }
    }

    /// <summary>Who holds the lock on the file behind <paramref name="fd"/>: from /proc/locks, else the pid the pid file names if that is a live gpdaemon.</summary>
    private static LockOwner? FindOwner(int fd, string pidFile)
    {
        stat st;
        if (fstat(fd, &st) == 0)
        {
            try
            {
                ulong dev = (ulong)st.st_dev;
                if (ProcLocks.FindFlockHolder(File.ReadAllText("/proc/locks"), ProcLocks.Major(dev), ProcLocks.Minor(dev), (ulong)st.st_ino) is int holder)
                {
                    return ProcLocks.Describe(holder, geteuid());
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return ReadOwnerPid(pidFile) is int pid && ProcLocks.Describe(pid, geteuid()) is { IsGpdaemon: true } owner ? owner : null;
    }

    /// <summary>
    /// Puts the pid file back after someone deleted or replaced it (the directory lock kept us exclusive meanwhile).
    /// Returns false when it was intact.
    /// </summary>
    public bool Restore()
    {
        if (_disposed || StillLinked(Path, _fd))
        {
            return false;
        }
        int fd = OpenPidFile(Path);
        if (!TryLock(fd, Path))
        {
            close(fd);
            throw new IOException($"{Path} was replaced by a file another process holds locked");
        }
        WritePid(Path, fd);
        close(_fd);
        _fd = fd;
        return true;
    }

    private static bool TryLock(int fd, string path)
    {
        if (Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB) == 0)
        {
            return true;
        }
        if (errno == EWOULDBLOCK)
        {
            return false;
        }
        throw new IOException(Native.LastError($"cannot lock {path}").Message);
    }

    /// <summary>Whether the path still names the locked file (someone may have deleted or replaced it).</summary>
    public bool IsIntact => !_disposed && StillLinked(Path, _fd);

    // O_CLOEXEC: openconnect and every other child must never inherit the lock. 0600, owned by us: nobody else can open
    // it to lock it. A file that is not so (left by an older version, or put there by hand) may already be open
    // elsewhere: it is replaced rather than fixed. Only root and the daemon's user can write to the directory.
    private static int OpenPidFile(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            int fd = Open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW);
            stat st;
            if (fstat(fd, &st) != 0)
            {
                var error = Native.LastError($"cannot check {path}");
                close(fd);
                throw new IOException(error.Message);
            }
            if ((uint)st.st_uid == geteuid() && ((uint)st.st_mode & (uint)(S_IRWXG | S_IRWXO)) == 0)
            {
                return fd;
            }
            close(fd);
            if (attempt == 10)
            {
                throw new IOException($"cannot lock {path}: it keeps being replaced by a file others can open");
            }
            byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = bytes)
            {
                unlink(p);
            }
        }
    }

    private static int Open(string path, int flags)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open(p, flags, S_IRUSR | S_IWUSR);
            if (fd < 0)
            {
                throw new IOException(Native.LastError($"cannot open {path}").Message);
            }
            return fd;
        }
    }

    private static bool StillLinked(string path, int fd)
    {
        stat byFd, byPath;
        if (fstat(fd, &byFd) != 0)
        {
            return false;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            if (stat(p, &byPath) != 0)
            {
                return false;
            }
        }
        return byFd.st_dev == byPath.st_dev && byFd.st_ino == byPath.st_ino;
    }

    private static void WritePid(string path, int fd)
    {
        byte[] content = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        fixed (byte* p = content)
        {
            if (ftruncate(fd, 0) != 0 || pwrite(fd, p, (size_t)content.Length, 0) != content.Length)
            {
                throw new IOException(Native.LastError($"cannot write {path}").Message);
            }
        }
    }

    private static int? ReadOwnerPid(string path)
    {
        // Raw read(2): any .NET file open takes a shared flock, which the owner's exclusive lock refuses.
        // The owner writes its pid right after locking: give it a moment before settling for "unknown".
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        byte* buffer = stackalloc byte[32];
        for (int i = 0; i < 20; i++)
        {
            int fd;
            fixed (byte* p = name)
            {
                fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
            }
            if (fd >= 0)
            {
                long n = read(fd, buffer, 31);
                close(fd);
                if (n > 0 && int.TryParse(new ReadOnlySpan<byte>(buffer, (int)n).Trim((byte)'\n'), out int pid) && pid > 0)
                {
                    return pid;
                }
            }
            Thread.Sleep(5);
        }
        return null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Unlink while still holding the lock; a racing starter that opened this inode fails the StillLinked check.
        if (StillLinked(Path, _fd))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Path + "\0");
            fixed (byte* p = bytes)
            {
                unlink(p);
            }
        }
        close(_fd);
        CloseIfOpen(_directoryFd);
    }
}
