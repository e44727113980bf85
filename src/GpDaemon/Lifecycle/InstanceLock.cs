using System.Runtime.InteropServices;
using System.Text;
using GpDaemon.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Lifecycle;

/// <summary>
/// Proof that this process is the only gpdaemon for a runtime directory: flock(LOCK_EX|LOCK_NB) on the pid file,
/// held for the process's life. The kernel drops the lock when the process dies, so a crash leaves nothing stale;
/// the file's content (our pid) is only information for humans and for the "already running" message.
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

    /// <summary>
    /// Takes the lock, or reports who holds it. The runtime directory itself is locked too, so that deleting or
    /// replacing the pid file under a running daemon does not let a second one in.
    /// </summary>
    public static InstanceLockResult TryAcquire(string path)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        int directoryFd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (!TryLock(directoryFd, directory))
        {
            close(directoryFd);
            return new InstanceLockResult.Held(ReadOwnerPid(path));
        }
        // A previous owner unlinks the file on exit; retry when the file we locked is no longer the one at the path.
        for (int attempt = 0; attempt < 10; attempt++)
        {
            int fd = OpenPidFile(path);
            if (!TryLock(fd, path))
            {
                close(fd);
                close(directoryFd);
                return new InstanceLockResult.Held(ReadOwnerPid(path));
            }
            if (!StillLinked(path, fd))
            {
                close(fd);
                continue;
            }
            WritePid(path, fd);
            return new InstanceLockResult.Acquired(new InstanceLock(path, directoryFd, fd));
        }
        close(directoryFd);
        throw new IOException($"cannot lock {path}: the file keeps being replaced");
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
        if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EWOULDBLOCK)
        {
            return false;
        }
        throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Whether the path still names the locked file (someone may have deleted or replaced it).</summary>
    public bool IsIntact => !_disposed && StillLinked(Path, _fd);

    // O_CLOEXEC: openconnect and every other child must never inherit the lock.
    private static int OpenPidFile(string path) => Open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW);

    private static int Open(string path, int flags)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open(p, flags, 0x1a4 /* 0644 */);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
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
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot write {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
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
        close(_directoryFd);
    }
}

internal abstract record InstanceLockResult
{
    public sealed record Acquired(InstanceLock Lock) : InstanceLockResult;

    public sealed record Held(int? OwnerPid) : InstanceLockResult;
}
