using System.Globalization;
using System.Text;
using GpDaemon.Config;
using GpTunnel.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Backend;

/// <summary>
/// Whether the daemon may run a HIP report script, as OpenSSH's StrictModes judges a file: the script itself, after
/// its symlinks are resolved, must be a regular file owned by root (or the daemon's own user) and writable by nobody
/// else, and so must every directory above it; otherwise another local user could choose what the daemon runs.
/// </summary>
internal static unsafe class HipScriptTrust
{
    /// <summary>What makes <paramref name="script"/> untrusted, or null; <paramref name="real"/> is the file to run.</summary>
    public static string? Problem(string script, out string real)
    {
        real = Native.RealPath(script) ?? string.Empty;
        if (real.Length == 0)
        {
            return Native.LastError("cannot resolve it").Message;
        }

        stat st;
        byte[] name = Encoding.UTF8.GetBytes(real + "\0");
        fixed (byte* p = name)
        {
            if (lstat(p, &st) != 0)
            {
                return Native.LastError($"cannot check {real}").Message;
            }
        }
        uint mode = (uint)st.st_mode;
        if ((mode & (uint)S_IFMT) != (uint)S_IFREG)
        {
            return $"{real} is not a regular file";
        }
        uint owner = (uint)st.st_uid;
        uint self = geteuid();
        if (owner != 0 && owner != self)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{real} is owned by uid {owner}, not by root");
        }
        if ((mode & (uint)(S_IWGRP | S_IWOTH)) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{real} is writable by {((mode & (uint)S_IWOTH) != 0 ? "others" : "its group")} (mode {Convert.ToString(mode & 0xfff, 8).PadLeft(4, '0')})");
        }
        return TrustedDirectory.Problem(Path.GetDirectoryName(real) ?? "/", leaf: false);
    }
}
