using System.ComponentModel;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace GpTunnel.Interop;

/// <summary>
/// The libc calls Tmds.LibC does not bind (posix_spawn, waitid/waitpid, pidfd, flock, prctl, realpath, getgrnam_r),
/// and the one way a failed libc call is reported. Everything Tmds.LibC binds is called through Tmds.Linux.LibC.
/// </summary>
internal static unsafe partial class Native
{
    private const string Lib = "libc";

    /// <summary>
    /// A failed libc call as an exception: the errno the call left (read at once, before another call overwrites it) as
    /// <see cref="Win32Exception.NativeErrorCode"/>, and "<paramref name="what"/>: strerror text" as the message
    /// ("cannot open /run/gpdaemon/gpdaemon.pid: Permission denied"). Code that reports failures in its own exception
    /// type takes the message.
    /// </summary>
    public static Win32Exception LastError(string what) => Error(what, Marshal.GetLastPInvokeError());

    /// <summary>As <see cref="LastError"/>, for a call that returns its error number rather than setting errno (posix_spawn).</summary>
    public static Win32Exception Error(string what, int errno) => new(errno, $"{what}: {Marshal.GetPInvokeErrorMessage(errno)}");

    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    public const int PR_SET_DUMPABLE = 4;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getgrnam_r(string name, Group* group, byte* buffer, nuint length, Group** result);

    /// <summary>
    /// The gid of a group by name through NSS, or null when there is no such group. The reentrant call: a config reload
    /// and a HIP report may look groups up at the same time.
    /// </summary>
    public static uint? GetGroupId(string name)
    {
        // A group's member list can be long; the buffer grows until it fits.
        for (int length = 4096; ; length *= 2)
        {
            byte[] buffer = new byte[length];
            Group group;
            Group* result;
            int error;
            fixed (byte* p = buffer)
            {
                error = getgrnam_r(name, &group, p, (nuint)length, &result);
            }
            if (error == LibC.ERANGE && length < 1 << 20)
            {
                continue;
            }
            return error == 0 && result is not null ? group.Gid : null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte* realpath(string path, byte* resolved);

    [LibraryImport(Lib)]
    private static partial void free(void* pointer);

    /// <summary>Canonical absolute path (all symlinks resolved), or null (errno set) when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = realpath(path, null);
        if (resolved is null)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    public const int P_PID = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitid(int idtype, int id, siginfo_t* info, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pidfd_send_signal(int pidfd, int signal, siginfo_t* info, uint flags);

    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    // glibc: posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80 on 64-bit Linux. Generous buffers keep
    // this independent of the exact layout.
    public const int SpawnAttrSize = 1024;
    public const int FileActionsSize = 512;

    // The posix_spawn functions return an error number rather than set errno.
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
    public static partial int posix_spawnattr_setsigmask(void* attributes, sigset_t* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, sigset_t* sigset);
}
