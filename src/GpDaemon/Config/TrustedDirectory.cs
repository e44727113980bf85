using System.Globalization;
using System.Text;
using GpTunnel.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Config;

/// <summary>
/// OpenSSH's StrictModes for the directories the daemon writes to: the directory and every parent must belong to root
/// or to the daemon's own user and be writable by nobody else, or another local user could replace what root keeps
/// there (the openconnect wrapper script, session files, the socket). A root-owned sticky parent such as /tmp is
/// safe: others cannot rename or remove entries they do not own.
/// </summary>
internal static unsafe class TrustedDirectory
{
    /// <summary>
    /// Creates the directory when missing (each missing component with <paramref name="createMode"/>, exactly, inside a
    /// parent already found safe), then checks it and every parent.
    /// </summary>
    /// <param name="role">What the directory is for, as the error message names it ("runtime directory").</param>
    /// <exception cref="ConfigException">The directory or a parent is unsafe, or cannot be created.</exception>
    public static void Prepare(string directory, UnixFileMode createMode, string role)
    {
        string full = Path.GetFullPath(directory);
        var missing = new Stack<string>();
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            missing.Push(existing);
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is not null)
        {
            Check(existing, role, leaf: missing.Count == 0);
        }
        while (missing.TryPop(out string? next))
        {
            Create(next, createMode, role);
        }
        Check(full, role, leaf: true);
    }

    /// <summary>Checks an existing directory and its parents; throws <see cref="ConfigException"/> naming the first unsafe one.</summary>
    public static void Check(string directory, string role, bool leaf = true)
    {
        if (Problem(directory, leaf) is { } problem)
        {
            throw new ConfigException($"unsafe {role} {directory}: {problem}. Another local user could replace the files gpdaemon keeps there. "
                + "Use a directory that only root (or the user gpdaemon runs as) can write to, and whose parents are the same");
        }
    }

    /// <summary>What is wrong with the directory or its parents, or null when it is safe.</summary>
    internal static string? Problem(string directory, bool leaf = true)
    {
        // Judge the real directory, as OpenSSH does: symlinks in the path (/var/run -> /run) are resolved first. A symlink
        // someone else could change lives in a directory they can write to, which the walk below refuses.
        string? real = Native.RealPath(directory);
        if (real is null)
        {
            return Native.LastError("cannot resolve it").Message;
        }
        string current = real;
        bool isLeaf = leaf;
        while (true)
        {
            if (EntryProblem(current, S_IFDIR, "a directory", stickyRootAllowed: !isLeaf) is { } problem)
            {
                return problem;
            }
            string? parent = Path.GetDirectoryName(current);
            if (parent is null)
            {
                return null;
            }
            current = parent;
            isLeaf = false;
        }
    }

    /// <summary>
    /// What is wrong with one entry, not followed if a link: not of <paramref name="type"/> (S_IFDIR, S_IFREG), owned by
    /// someone other than root or this process's user, or writable by its group or others (a root-owned sticky
    /// directory excepted where <paramref name="stickyRootAllowed"/>: /tmp above a directory of ours).
    /// </summary>
    internal static string? EntryProblem(string path, mode_t type, string typeName, bool stickyRootAllowed)
    {
        stat st;
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = name)
        {
            if (lstat(p, &st) != 0)
            {
                return Native.LastError($"cannot check {path}").Message;
            }
        }
        uint mode = (uint)st.st_mode;
        if ((mode & (uint)S_IFMT) != (uint)type)
        {
            return $"{path} is not {typeName}";
        }
        uint owner = (uint)st.st_uid;
        uint self = geteuid();
        if (owner != 0 && owner != self)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{path} is owned by uid {owner}, not by root{(self == 0 ? "" : $" or uid {self} (the user gpdaemon runs as)")}");
        }
        bool writableByOthers = (mode & (uint)(S_IWGRP | S_IWOTH)) != 0;
        bool stickyRoot = stickyRootAllowed && owner == 0 && (mode & (uint)S_ISVTX) != 0;
        if (writableByOthers && !stickyRoot)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{path} is writable by {((mode & (uint)S_IWOTH) != 0 ? "others" : "its group")} (mode {Convert.ToString(mode & 0xfff, 8).PadLeft(4, '0')})");
        }
        return null;
    }

    private static void Create(string directory, UnixFileMode mode, string role)
    {
        byte[] name = Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* p = name)
        {
            if (mkdir(p, (mode_t)(uint)mode) != 0 && errno != EEXIST)
            {
                throw new ConfigException(Native.LastError($"cannot create the {role} {directory}").Message);
            }
            // mkdir applies the umask; the mode is set on the directory itself, never through a path someone could swap.
            int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0)
            {
                throw new ConfigException(Native.LastError($"cannot open the {role} {directory}").Message);
            }
            try
            {
                stat st;
                if (fstat(fd, &st) == 0 && (uint)st.st_uid == geteuid())
                {
                    fchmod(fd, (mode_t)(uint)mode);
                }
            }
            finally
            {
                close(fd);
            }
        }
    }
}
