using GpDaemon.Config;
using GpTunnel.Interop;
using static Tmds.Linux.LibC;

namespace GpDaemon.Backend;

/// <summary>
/// Whether the daemon may run a HIP report script, as OpenSSH's StrictModes judges a file: the script itself, after
/// its symlinks are resolved, must be a regular file owned by root (or the daemon's own user) and writable by nobody
/// else, and so must every directory above it; otherwise another local user could choose what the daemon runs.
/// </summary>
internal static class HipScriptTrust
{
    /// <summary>What makes <paramref name="script"/> untrusted, or null; <paramref name="real"/> is the file to run.</summary>
    public static string? Problem(string script, out string real)
    {
        real = Native.RealPath(script) ?? string.Empty;
        if (real.Length == 0)
        {
            return Native.LastError("cannot resolve it").Message;
        }

        return TrustedDirectory.EntryProblem(real, S_IFREG, "a regular file", stickyRootAllowed: false)
            ?? TrustedDirectory.Problem(Path.GetDirectoryName(real) ?? "/", leaf: false);
    }
}
