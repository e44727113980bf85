using GpControl;

namespace GpDaemon.Backend;

/// <summary>How a login asks the user for input and reports progress, through the state machine.</summary>
internal interface ILoginInteraction
{
    ValueTask<string> AskAsync(string message, bool secret, CancellationToken cancellationToken) =>
        AskAsync(message, secret, PromptSource.Portal, cancellationToken);

    /// <param name="message">The server's own label or prompt text.</param>
    /// <param name="secret">True when the answer must not be echoed or logged.</param>
    /// <param name="from">Who asks: "portal" or "gateway" (<see cref="PromptSource"/>).</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    ValueTask<string> AskAsync(string message, bool secret, string from, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for a browser sign-in's result (a globalprotectcallback: link or a cookie), until
    /// <paramref name="timeout"/>. <paramref name="url"/> or <paramref name="form"/> is what the browser opens.
    /// </summary>
    ValueTask<string> SignInAsync(string message, string? url, string? form, TimeSpan timeout, CancellationToken cancellationToken);

    void Progress(string message, Gateway? gateway);
}
