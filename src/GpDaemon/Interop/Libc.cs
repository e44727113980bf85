using System.Runtime.InteropServices;

namespace GpDaemon.Interop;

/// <summary>The few libc calls Tmds.LibC does not bind.</summary>
internal static unsafe partial class Libc
{
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int PR_SET_DUMPABLE = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial Group* getgrnam(string name);

    /// <summary>The gid of a group by name through NSS, or null when there is no such group.</summary>
    public static uint? GetGroupId(string name)
    {
        Group* group = getgrnam(name);
        return group is null ? null : group->Gid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }
}
