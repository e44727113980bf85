using System.ComponentModel;
using System.Globalization;
using GpTunnel.Interop;
using GpTunnel.Launch;
using static Tmds.Linux.LibC;

namespace GpDaemon.Backend;

/// <summary>
/// Who a HIP report script runs as. A report needs no privilege, so a root daemon runs it as <c>nobody</c> through
/// setpriv (without supplementary groups, unable to gain privileges again); a daemon running as another user runs it
/// as itself. setpriv may exist yet be unable to switch (a unit whose system-call filter or capability bounding set
/// denies setuid), which is checked once, by switching for /bin/true.
/// </summary>
/// <param name="Command">What comes before the script on the command line: setpriv and its options, or nothing.</param>
/// <param name="User">Whom the script runs as, for the log.</param>
/// <param name="Problem">Why a root daemon cannot run the script as nobody, or null.</param>
internal sealed record HipScriptIdentity(IReadOnlyList<string> Command, string User, string? Problem)
{
    private static readonly string[] SetprivPaths = ["/usr/bin/setpriv", "/bin/setpriv"];
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly Lock Gate = new();
    private static Task<HipScriptIdentity>? _current;

    /// <summary>How this process runs scripts; found at the first call.</summary>
    public static Task<HipScriptIdentity> CurrentAsync()
    {
        lock (Gate)
        {
            return _current ??= FindAsync();
        }
    }

    private static async Task<HipScriptIdentity> FindAsync()
    {
        uint self = geteuid();
        if (self != 0)
        {
            return new HipScriptIdentity([], string.Create(CultureInfo.InvariantCulture, $"uid {self}"), null);
        }
        string? setpriv = SetprivPaths.FirstOrDefault(File.Exists);
        if (setpriv is null)
        {
            return AsRoot("setpriv is not installed");
        }
        // Debian's nobody belongs to nogroup; other systems name the group nobody.
        uint? group = Native.GetGroupId("nogroup") ?? Native.GetGroupId("nobody");
        if (group is null)
        {
            return AsRoot("there is no group nogroup or nobody");
        }
        string[] command = [setpriv, "--reuid=nobody", string.Create(CultureInfo.InvariantCulture, $"--regid={group}"),
            "--clear-groups", "--no-new-privs", "--"];
        ChildProcess probe;
        try
        {
            probe = ChildProcess.Start(setpriv, [.. command, "/bin/true"], HipScriptRunner.Environment, []);
        }
        catch (Win32Exception e)
        {
            return AsRoot(e.Message);
        }
        using (probe)
        {
            try
            {
                int status = await probe.Exited.WaitAsync(ProbeTimeout).ConfigureAwait(false);
                return status == 0
                    ? new HipScriptIdentity(command, "nobody", null)
                    : AsRoot(string.Create(CultureInfo.InvariantCulture, $"setpriv cannot switch to nobody here (status {status})"));
            }
            catch (TimeoutException)
            {
                probe.Signal(SIGKILL);
                return AsRoot("setpriv did not finish");
            }
        }
    }

    private static HipScriptIdentity AsRoot(string problem) => new([], "root", problem);
}
