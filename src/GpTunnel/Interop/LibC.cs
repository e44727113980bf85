using System.Runtime.InteropServices;

namespace GpTunnel.Interop;

/// <summary>The few libc calls the supervisor needs that .NET does not expose
/// (posix_spawn with a new session and closefrom, signals, waitid).</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ESRCH = 3;
    public const int EPIPE = 32;

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;

    public const int O_CLOEXEC = 0x80000;
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;

    public const int X_OK = 1;

    public const int P_PID = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;

    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    // glibc: posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128,
    // siginfo_t 128 on 64-bit Linux. Generous buffers keep this independent of the exact layout.
    public const int SpawnAttrSize = 1024;
    public const int FileActionsSize = 512;
    public const int SigSetSize = 256;
    public const int SigInfoSize = 256;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitid(int idtype, int id, byte* info, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    // glibc >= 2.34: closes every descriptor from `from` up in the child, whatever its CLOEXEC flag.
    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigaddset(void* sigset, int signal);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* realpath(string path, byte* resolved);

    [LibraryImport(Lib)]
    public static partial void free(void* pointer);

    /// <summary>Canonical absolute path (all symlinks resolved), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = realpath(path, null);
        if (resolved is null)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8((nint)resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pidfd_send_signal(int pidfd, int signal, void* info, uint flags);

    public const short POLLIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
