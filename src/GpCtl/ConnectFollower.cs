using GpControl;

namespace GpCtl;

/// <summary>
/// Follows one connection attempt's states (from Connect, or from Watch when attached to an attempt that is
/// already running): prints progress, answers text prompts, and for a browser sign-in opens the browser and
/// accepts a pasted result while the desktop's callback may complete it instead.
/// </summary>
internal sealed class ConnectFollower(string socketPath, PromptAnswerer? answerer, bool attached) : IDisposable
{
    private readonly HashSet<string> _answered = [];
    private readonly List<Task> _pastes = [];
    private string? _lastLine;
    private SignInPage? _page;

    /// <summary>The exit code once the attempt is over; null to keep following.</summary>
    public async Task<int?> OnStatusAsync(VpnStatus reply, CancellationToken cancellationToken)
    {
        VpnStatus status = SafeStatus.Of(reply);
        string line = status.StateValue == VpnState.Authenticating && status.Message is { } progress ? progress : status.Summary();
        if (status.StateValue != VpnState.NeedsInput && line != _lastLine)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
            _lastLine = line;
        }
        switch (status.StateValue)
        {
            case VpnState.Connected:
                return ExitCode.Ok;
            case VpnState.Failed when attached:
                Console.Error.WriteLine($"gpctl: connection failed: {status.Message ?? "no reason given"}");
                return ExitCode.Failed;
            case VpnState.Disconnected when attached:
                Console.Error.WriteLine("gpctl: the connection attempt was stopped.");
                return ExitCode.Failed;
        }
        if (status is not { StateValue: VpnState.NeedsInput, Prompt: { } prompt } || !_answered.Add(prompt.Id))
        {
            return null;
        }
        if (prompt.IsBrowserSignIn)
        {
            StartSignIn(prompt, cancellationToken);
            return null;
        }

        string? value = answerer?.Answer(prompt);
        await using VpnClient side = await VpnClient.ConnectAsync(socketPath, cancellationToken);
        if (value is null)
        {
            Console.Error.WriteLine($"gpctl: the {prompt.From ?? PromptSource.Portal} asks \"{prompt.Message}\" and there is no answer: " +
                (answerer is null ? "run gpctl in a terminal, or give answers with --passwd-on-stdin." : "input ended."));
            await side.DisconnectAsync(cancellationToken);
            // Input that ended before the login did: it failed for want of credentials.
            return answerer is null ? ExitCode.Failed : ExitCode.AuthenticationFailed;
        }
        // A second connection: the first one is busy streaming the attempt's states.
        await side.SubmitInputAsync(prompt.Id, value, cancellationToken);
        return null;
    }

    private void StartSignIn(Prompt prompt, CancellationToken cancellationToken)
    {
        string target;
        if (prompt.Url is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) || parsed.Scheme is not ("https" or "http"))
            {
                Console.Error.WriteLine("gpctl: the sign-in address is not an https:// URL; not opening it.");
                return;
            }
            target = parsed.AbsoluteUri;
        }
        else
        {
            _page?.Dispose();
            _page = SignInPage.Create(prompt.Form ?? "");
            target = _page.Uri;
        }
        Console.Error.WriteLine($"{Printable(prompt.Message)}:");
        Console.Error.WriteLine($"  {target}");
        if (Browser.TryOpen(target, out string reason))
        {
            Console.Error.WriteLine("Opened in your browser. Waiting for the sign-in to complete (Ctrl-C cancels).");
        }
        else
        {
            Console.Error.WriteLine($"Not opening a browser: {reason}. Open the link in a browser and sign in.");
        }
        if (answerer is not null)
        {
            if (answerer is PromptAnswerer.Terminal)
            {
                Console.Error.WriteLine("If the sign-in does not complete by itself, paste the globalprotectcallback: link (or the cookie) here.");
            }
            _pastes.Add(Task.Run(() => PasteAsync(prompt, cancellationToken), cancellationToken));
        }
    }

    /// <summary>Reads pasted results until one is taken, input ends, or the sign-in completes another way.</summary>
    private async Task PasteAsync(Prompt prompt, CancellationToken cancellationToken)
    {
        var ask = prompt with { Message = "Sign-in result (not echoed)" };
        while (!cancellationToken.IsCancellationRequested)
        {
            string? value = answerer!.Answer(ask)?.Trim();
            if (value is null)
            {
                return; // input ended: the desktop's callback may still complete it
            }
            if (value.Length == 0)
            {
                continue;
            }
            try
            {
                await using VpnClient side = await VpnClient.ConnectAsync(socketPath, cancellationToken);
                await side.SubmitInputAsync(prompt.Id, value, cancellationToken);
                return;
            }
            catch (VarlinkErrorException e) when (e.Error == VpnInterface.InvalidInput)
            {
                Console.Error.WriteLine($"gpctl: {e.ParametersAs(ControlJsonContext.Default.InvalidInputError)?.Message}");
            }
            catch (VarlinkErrorException e) when (e.Error == VpnInterface.NoSuchPrompt)
            {
                return; // completed (or ended) another way
            }
        }
    }

    /// <summary>Text from the portal, for the terminal: control characters replaced.</summary>
    private static string Printable(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });

    public void Dispose() => _page?.Dispose();
}
