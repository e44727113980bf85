using System.ComponentModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GpTunnel.Launch;
using GpTunnel.Logging;
using GpTunnel.Wrapper;
using Microsoft.Extensions.Logging;

namespace GpTunnel.Leftover;

/// <summary>
/// Undoes what the vpnc-script's connect did when openconnect died without running its disconnect (SIGKILL, a crash):
/// runs the vpnc-script with reason=disconnect and the environment the wrapper recorded (<see cref="SavedEnvironment"/>).
/// Without it, a resolv.conf the script rewrote keeps the tunnel's nameservers, and the script's backup of it, keyed on
/// openconnect's pid (VPNPID), stays in /run/vpnc. The tun device and its routes go with openconnect by themselves.
/// </summary>
internal static class VpncDisconnect
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The longest a disconnect run here takes: a stop whose openconnect had to be killed runs it before it ends, so
    /// the daemon's shutdown allows for it (DaemonHost) and so does the unit's TimeoutStopSec.
    /// </summary>
    public static TimeSpan Allowance => ScriptTimeout + OutputTimeout;

    /// <summary>
    /// Runs the disconnect if a recorded environment is left in the runtime directory, then removes it. Returns whether
    /// it ran. <paramref name="processId"/> is the dead openconnect, used as VPNPID when the record lacks it. The script
    /// gets a bounded time; cancelling stops waiting for it, not the script. <paramref name="stillRunning"/> says whether
    /// the recorded VPNPID is an openconnect that still runs (then its tunnel is alive and nothing is done).
    /// </summary>
    public static async Task<bool> RunIfLeftAsync(OpenConnectOptions options, int? processId, Func<int, bool> stillRunning,
        ILogger logger, CancellationToken cancellationToken)
    {
        var path = SavedEnvironment.PathIn(options.RuntimeDirectory);
        if (!File.Exists(path))
        {
            return false;
        }

        var saved = SavedEnvironment.Read(path);
        if (int.TryParse(saved?["VPNPID"], NumberStyles.None, CultureInfo.InvariantCulture, out var recorded) && stillRunning(recorded))
        {
            return false;
        }

        try
        {
            if (saved is null || options.ScriptTun)
            {
                return false;
            }

            var vpnPid = saved["VPNPID"] ?? processId?.ToString(CultureInfo.InvariantCulture);
            if (vpnPid is null)
            {
                return false;
            }

            Log.VpncDisconnectRunning(logger, vpnPid, saved["TUNDEV"], options.VpncScript);
            var status = await RunAsync(options.VpncScript, Environment(saved, vpnPid), vpnPid, logger, cancellationToken)
                .ConfigureAwait(false);
            if (status == 0)
            {
                Log.VpncDisconnectDone(logger, vpnPid);
            }
            else
            {
                Log.VpncDisconnectFailed(logger, vpnPid, status);
            }

            return true;
        }
        finally
        {
            SavedEnvironment.Delete(path);
        }
    }

    /// <summary>openconnect's environment for its scripts (the daemon's, cleaned), the recorded variables, and the reason.</summary>
    internal static IReadOnlyList<string> Environment(WrapperReport saved, string vpnPid)
    {
        var recorded = new HashSet<string>(saved.Variables.Keys, StringComparer.Ordinal) { "reason", "VPNPID" };
        var environment = OpenConnectCommandLine.Environment(OpenConnectCommandLine.CurrentEnvironment())
            .Where(entry => !recorded.Contains(entry[..entry.IndexOf('=', StringComparison.Ordinal)]))
            .ToList();
        foreach (var (name, value) in saved.Variables)
        {
            if (name != "VPNPID")
            {
                environment.Add($"{name}={value}");
            }
        }
        environment.Add("reason=disconnect");
        environment.Add("VPNPID=" + vpnPid);
        return environment;
    }

    private static async Task<int> RunAsync(string script, IReadOnlyList<string> environment, string vpnPid, ILogger logger,
        CancellationToken cancellationToken)
    {
        ChildProcess child;
        try
        {
            child = ChildProcess.Start(script, [script], environment, []);
        }
        catch (Win32Exception e)
        {
            Log.VpncDisconnectNotStarted(logger, e, vpnPid, script);
            return 127;
        }
        using (child)
        {
            var output = Task.WhenAll(ReadLinesAsync(child.StandardOutput, vpnPid, logger, cancellationToken),
                ReadLinesAsync(child.StandardError, vpnPid, logger, cancellationToken));
            try
            {
                await child.Exited.WaitAsync(ScriptTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                child.Signal(Tmds.Linux.LibC.SIGKILL);
            }
            var status = await child.Exited.ConfigureAwait(false);
            try
            {
                // A child of the script may hold the output open; what it has written by now is enough.
                await output.WaitAsync(OutputTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            return status;
        }
    }

    private static async Task ReadLinesAsync(Socket socket, string vpnPid, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    // Cleaned and bounded where every logged string is (the daemon's log enricher), as openconnect's lines are.
                    Log.VpncDisconnectOutput(logger, vpnPid, line);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
