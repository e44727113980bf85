using System.ComponentModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GlobalProtect;
using GpDaemon.Logging;
using GpText;
using GpTunnel.Launch;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace GpDaemon.Backend;

/// <summary>
/// Runs a HIP report script (openconnect's --csd-wrapper convention, <see cref="HipScript.Arguments"/>) and returns
/// the report it writes on stdout. The script must be trusted (<see cref="HipScriptTrust"/>); it runs as
/// <see cref="HipScriptIdentity"/> says, with stdin at end of file, a fixed minimal environment, in its own session
/// and so its own process group, which is killed whole when the script is done, too slow, or no longer wanted.
/// Its stdout is bounded; its stderr is bounded, cleaned and logged. Every failure is a <see cref="HipScriptException"/>.
/// </summary>
internal sealed partial class HipScriptRunner(ILogger logger)
{
    /// <summary>The most a script may write on stdout; more is a failure.</summary>
    public const int MaxOutputBytes = 1024 * 1024;

    /// <summary>The script's whole environment: none of the daemon's, which it does not need.</summary>
    internal static readonly string[] Environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"];

    private const int MaxErrorBytes = 64 * 1024;
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);
    private int _identityTold;

    /// <summary>Runs <paramref name="script"/> for <paramref name="facts"/>, for at most <paramref name="timeout"/>.</summary>
    public async Task<string> RunAsync(string script, HipReportFacts facts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (HipScriptTrust.Problem(script, out string real) is { } problem)
        {
            throw new HipScriptException($"HIP report script {script} is not run: {problem}. "
                + "It and every directory above it must be owned by root and writable by no one else");
        }
        HipScriptIdentity identity = await HipScriptIdentity.CurrentAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        // Said once: under the shipped unit (no setuid in its system-call filter) this holds for every report.
        if (identity.Problem is { } unprivileged && Interlocked.Exchange(ref _identityTold, 1) == 0)
        {
            LogNotAsNobody(logger, identity.User, unprivileged);
        }
        string[] argv = [.. identity.Command, real, .. HipScript.Arguments(facts)];
        LogRunning(logger, script, identity.User);

        ChildProcess child;
        try
        {
            child = ChildProcess.Start(argv[0], argv, Environment, [], killGroupAtExit: true);
        }
        catch (Win32Exception e)
        {
            throw new HipScriptException($"HIP report script {script} did not start: {e.Message}");
        }
        using (child)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            Task<string> errors = ReadErrorsAsync(child.StandardError, deadline.Token);
            try
            {
                // As openconnect: the whole output until end of file, then the exit status.
                byte[] output = await ReadOutputAsync(child.StandardOutput, script, deadline.Token).ConfigureAwait(false);
                // What the script left running, which could hold stderr open, is killed as it exits (killGroupAtExit).
                int status = await child.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
                string firstError = await LogErrorsAsync(script, errors).ConfigureAwait(false);
                if (status != 0)
                {
                    throw new HipScriptException(string.Create(CultureInfo.InvariantCulture,
                        $"HIP report script {script} exited with status {status}{(firstError.Length > 0 ? ": " + firstError : "")}"));
                }
                return Encoding.UTF8.GetString(output);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await LogErrorsAsync(script, errors).ConfigureAwait(false);
                throw new HipScriptException(string.Create(CultureInfo.InvariantCulture,
                    $"HIP report script {script} did not finish within {timeout.TotalSeconds:0.###} s ([client] request_timeout); it was killed"));
            }
            finally
            {
                await KillGroupAsync(child).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Kills the script's process group if the script still runs (once it exits, the rest of its group is killed with
    /// it), then waits for it to be reaped.
    /// </summary>
    private static async Task KillGroupAsync(ChildProcess child)
    {
        child.SignalGroup(LibC.SIGKILL);
        try
        {
            await child.Exited.WaitAsync(ReapTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static async Task<byte[]> ReadOutputAsync(Socket socket, string script, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (output.Length + n > MaxOutputBytes)
            {
                throw new HipScriptException($"HIP report script {script} wrote more than {MaxOutputBytes / 1024 / 1024} MiB; it was killed");
            }
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    /// <summary>The first <see cref="MaxErrorBytes"/> of stderr; the rest is read and dropped so that the script never blocks on it.</summary>
    private static async Task<string> ReadErrorsAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                kept.Write(buffer, 0, (int)Math.Min(n, MaxErrorBytes - kept.Length));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    /// <summary>Logs what the script wrote on stderr, cleaned; returns its first line, cleaned and short, for a failure.</summary>
    private async Task<string> LogErrorsAsync(string script, Task<string> errors)
    {
        string text = await errors.ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }
        // The log cleans and bounds every string it writes (Logging/UntrustedTextEnricher).
        LogStderr(logger, script, text.Trim());
        string first = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        return UntrustedText.Clean(first, 200);
    }

    [LoggerMessage(EventId = EventIds.HipScriptRunning, Level = LogLevel.Debug, Message = "Running the HIP report script {Script} as {User}")]
    private static partial void LogRunning(ILogger logger, string script, string user);

    [LoggerMessage(EventId = EventIds.HipScriptStderr, Level = LogLevel.Information, Message = "HIP report script {Script} wrote on stderr: {Stderr}")]
    private static partial void LogStderr(ILogger logger, string script, string stderr);

    [LoggerMessage(EventId = EventIds.HipScriptNotAsNobody, Level = LogLevel.Information, Message = "HIP report scripts run as {User}, not as nobody ({Reason}), with the service's own restrictions")]
    private static partial void LogNotAsNobody(ILogger logger, string user, string reason);
}
