using System.Text.Json;
using GpControl;
using GpControl.Varlink;
using GpText;

namespace GpCtl;

/// <summary>What each gpctl command does: talk to the daemon, print, choose the exit code.</summary>
internal static class Commands
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    public static async Task<int> StatusAsync(string socketPath, bool json, CancellationToken cancellationToken)
    {
        // One call answered at once: blocking socket calls on this thread start no thread-pool workers (see BlockingSocketStream).
        await using VpnClient client = BlockingSocketStream.ConnectClient(socketPath);
        VpnStatus status = await client.GetStatusAsync(cancellationToken);
        Console.Out.Write(json ? JsonSerializer.Serialize(status, Json.VpnStatus) + "\n" : StatusFormatter.Format(SafeStatus.Of(status), DateTimeOffset.UtcNow));
        // Like `systemctl is-active`: scripts and status bars can test the exit code alone.
        return status.StateValue == VpnState.Connected ? ExitCode.Ok : ExitCode.Failed;
    }

    /// <summary>One line per instance, the default one first: its state, portal, interface and address.</summary>
    public static async Task<int> StatusAllAsync(string root, IReadOnlyList<string> instances, bool json, CancellationToken cancellationToken)
    {
        bool anyConnected = false;
        if (!json)
        {
            Console.Out.Write(StatusFormatter.InstanceHeader());
        }
        foreach (string? instance in instances.Prepend(null))
        {
            string socket = instance is null ? Path.Combine(root, ControlDefaults.SocketFileName) : ControlDefaults.InstanceSocketPath(root, instance);
            string name = instance ?? InstanceName.Default;
            VpnStatus? status = null;
            string? problem = null;
            // One unresponsive daemon must not hide the others.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await using VpnClient client = await VpnClient.ConnectAsync(socket, timeout.Token);
                status = await client.GetStatusAsync(timeout.Token);
            }
            catch (DaemonUnreachableException)
            {
                problem = "not running";
            }
            catch (Exception ex) when (ex is IOException or VarlinkErrorException or VarlinkProtocolException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                problem = ex is OperationCanceledException ? "not answering" : ex.Message;
            }
            anyConnected |= status?.StateValue == VpnState.Connected;
            Console.Out.Write(json ? StatusFormatter.InstanceJson(name, status, problem) + "\n" : StatusFormatter.InstanceLine(name, status, problem));
        }
        return anyConnected ? ExitCode.Ok : ExitCode.Failed;
    }

    public static async Task<int> WatchAsync(string socketPath, bool json, CancellationToken cancellationToken)
    {
        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        try
        {
            await foreach (VpnStatus status in client.WatchAsync(cancellationToken))
            {
                Console.Out.WriteLine(json
                    ? JsonSerializer.Serialize(status, Json.VpnStatus)
                    : $"{DateTime.Now:HH:mm:ss} {SafeStatus.Of(status).Summary()}");
                Console.Out.Flush();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCode.Ok;
        }
        Console.Error.WriteLine("gpctl: gpdaemon stopped.");
        return ExitCode.DaemonUnreachable;
    }

    public static async Task<int> DisconnectAsync(string socketPath, bool forget, string? portal, CancellationToken cancellationToken)
    {
        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        if (forget)
        {
            DisconnectReply reply = await client.DisconnectAndForgetAsync(portal, cancellationToken);
            Console.Out.WriteLine(reply.Status.StateValue == VpnState.Disconnected ? "Disconnected." : SafeStatus.Of(reply.Status).Summary());
            Console.Out.WriteLine(UntrustedText.CleanOrNull(reply.Forgot) is { } forgotten
                ? $"Forgot your saved session for {forgotten}: the next connect asks for the password."
                : "You had no saved session for that portal.");
            return ExitCode.Ok;
        }
        if (portal is not null)
        {
            Console.Error.WriteLine("gpctl: disconnect: a portal is only taken with --forget.");
            return ExitCode.Usage;
        }
        try
        {
            VpnStatus status = await client.DisconnectAsync(cancellationToken);
            Console.Out.WriteLine(SafeStatus.Of(status).Summary());
        }
        catch (VarlinkErrorException e) when (e.Error == VpnInterface.NotConnected)
        {
            // Disconnecting what is not connected is already done, as `systemctl stop` on a stopped unit.
            Console.Out.WriteLine("Not connected.");
        }
        return ExitCode.Ok;
    }

    public static async Task<int> ConnectAsync(string socketPath, ConnectOptions options, CancellationToken cancellationToken)
    {
        PromptAnswerer? answerer = null;
        string? password = null;
        if (options.PasswordOnStdin)
        {
            password = Console.In.ReadLine();
            if (password is null)
            {
                Console.Error.WriteLine("gpctl: --passwd-on-stdin: standard input is empty; the first line must be the password.");
                return ExitCode.Usage;
            }
            answerer = new PromptAnswerer.Lines(Console.In);
        }
        else if (!Console.IsInputRedirected)
        {
            answerer = new PromptAnswerer.Terminal();
        }

        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        if (options.Portal is null && !options.NoWait
            && (await client.GetStatusAsync(cancellationToken)).StateValue == VpnState.NeedsInput)
        {
            // `gpctl connect` alone while an attempt waits for an answer (started in another terminal, or autoconnect
            // at boot waiting for a sign-in or a code): join it. With a portal named, a second connect is still told
            // "already connected".
            Console.Out.WriteLine("Joining the connection that is under way.");
            return await AttachAsync(socketPath, password is null ? answerer : new PromptAnswerer.Lines(Console.In, password), cancellationToken);
        }
        var parameters = new ConnectParameters(options.Portal, options.User, password, options.Gateway);
        bool started = false;
        try
        {
            using (var follower = new ConnectFollower(socketPath, answerer, attached: false))
            {
                await foreach (VpnStatus status in client.ConnectAsync(parameters, follow: !options.NoWait, cancellationToken))
                {
                    if (options.NoWait)
                    {
                        Console.Out.WriteLine($"{status.Summary()} (follow with 'gpctl watch')");
                        return ExitCode.Ok;
                    }
                    started = true;
                    if (await follower.OnStatusAsync(status, cancellationToken) is { } exitCode)
                    {
                        return exitCode;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && started)
        {
            return await CancelAttemptAsync(socketPath);
        }
        Console.Error.WriteLine("gpctl: gpdaemon ended the call without a result.");
        return ExitCode.Failed;
    }

    /// <summary>Follows an attempt that is already running, answering its prompts, until it is Connected or ends.</summary>
    private static async Task<int> AttachAsync(string socketPath, PromptAnswerer? answerer, CancellationToken cancellationToken)
    {
        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        using var follower = new ConnectFollower(socketPath, answerer, attached: true);
        try
        {
            await foreach (VpnStatus status in client.WatchAsync(cancellationToken))
            {
                if (await follower.OnStatusAsync(status, cancellationToken) is { } exitCode)
                {
                    return exitCode;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await CancelAttemptAsync(socketPath);
        }
        Console.Error.WriteLine("gpctl: gpdaemon stopped.");
        return ExitCode.DaemonUnreachable;
    }

    /// <summary>Ctrl-C while an attempt is not yet connected stops that attempt, so that it does not wait for nobody.</summary>
    private static async Task<int> CancelAttemptAsync(string socketPath)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using VpnClient side = await VpnClient.ConnectAsync(socketPath, deadline.Token);
            await side.DisconnectAsync(deadline.Token);
            Console.Error.WriteLine("gpctl: cancelled; the connection attempt was stopped.");
        }
        catch (Exception e) when (e is VarlinkErrorException or IOException or OperationCanceledException or DaemonUnreachableException)
        {
            Console.Error.WriteLine("gpctl: cancelled.");
        }
        return ExitCode.Failed;
    }

    /// <summary>
    /// The desktop's handler for globalprotectcallback: links (and a way to paste one from any terminal): hands the
    /// sign-in result to the attempt that waits for it.
    /// </summary>
    public static async Task<int> CallbackAsync(string socketPath, string data, CancellationToken cancellationToken)
    {
        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        VpnStatus status = await client.GetStatusAsync(cancellationToken);
        if (status.Prompt is not { IsBrowserSignIn: true } prompt)
        {
            Console.Error.WriteLine(status.StateValue == VpnState.NeedsInput && status.Prompt is null
                ? "gpctl: the sign-in that is waiting is not yours: only the user who ran gpctl connect (or root) may complete it."
                : $"gpctl: no sign-in is waiting (gpdaemon: {status.Summary()}). Run gpctl connect first, then sign in again.");
            return ExitCode.Failed;
        }
        try
        {
            await client.SubmitInputAsync(prompt.Id, data, cancellationToken);
        }
        catch (VarlinkErrorException e) when (e.Error == VpnInterface.NoSuchPrompt)
        {
            Console.Error.WriteLine("gpctl: that sign-in is no longer waiting (it completed, expired or was cancelled). Run gpctl connect again.");
            return ExitCode.Failed;
        }
        Console.Out.WriteLine("Signed in; gpdaemon is connecting (follow with 'gpctl status' or 'gpctl watch').");
        return ExitCode.Ok;
    }
}
