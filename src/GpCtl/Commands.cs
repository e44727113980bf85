using System.Text.Json;
using GpControl;
using GpControl.Varlink;

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
        Console.Out.Write(json ? JsonSerializer.Serialize(status, Json.VpnStatus) + "\n" : StatusFormatter.Format(status, DateTimeOffset.UtcNow));
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
                    : $"{DateTime.Now:HH:mm:ss} {status.Summary()}");
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

    public static async Task<int> DisconnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        await using VpnClient client = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        try
        {
            VpnStatus status = await client.DisconnectAsync(cancellationToken);
            Console.Out.WriteLine(status.Summary());
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
        var parameters = new ConnectParameters(options.Portal, options.User, password, options.Gateway);
        var answered = new HashSet<string>();
        string? lastLine = null;
        await foreach (VpnStatus status in client.ConnectAsync(parameters, follow: !options.NoWait, cancellationToken))
        {
            if (options.NoWait)
            {
                Console.Out.WriteLine($"{status.Summary()} (follow with 'gpctl watch')");
                return ExitCode.Ok;
            }
            string line = status.StateValue == VpnState.Authenticating && status.Message is { } progress ? progress : status.Summary();
            if (status.StateValue != VpnState.NeedsInput && line != lastLine)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
                lastLine = line;
            }
            if (status.StateValue == VpnState.Connected)
            {
                return ExitCode.Ok;
            }
            if (status is { StateValue: VpnState.NeedsInput, Prompt: { } prompt } && answered.Add(prompt.Id))
            {
                string? value = answerer?.Answer(prompt);
                await using VpnClient side = await VpnClient.ConnectAsync(socketPath, cancellationToken);
                if (value is null)
                {
                    Console.Error.WriteLine($"gpctl: the portal asks \"{prompt.Message}\" and there is no answer: " +
                        (answerer is null ? "run gpctl in a terminal, or give answers with --passwd-on-stdin." : "input ended."));
                    await side.DisconnectAsync(cancellationToken);
                    return ExitCode.Failed;
                }
                // A second connection: this one is busy streaming the Connect call's replies.
                await side.SubmitInputAsync(prompt.Id, value, cancellationToken);
            }
        }
        Console.Error.WriteLine("gpctl: gpdaemon ended the call without a result.");
        return ExitCode.Failed;
    }
}

internal sealed record ConnectOptions(string? Portal, string? User, string? Gateway, bool PasswordOnStdin, bool NoWait);
