using GlobalProtect;
using GpControl;

namespace GpDaemon.Backend;

/// <summary>Routes the login's questions and progress to the state machine (NeedsInput, progress messages).</summary>
/// <param name="signInTimeout">The longest a browser sign-in may take, whatever the portal's saml-request-timeout says.</param>
internal sealed class PromptBridge(ILoginInteraction interaction, TimeSpan signInTimeout) : ILoginPrompter, IProgress<LoginProgress>
{
    public ValueTask<string> AskAsync(LoginPrompt prompt, CancellationToken cancellationToken) =>
        prompt.SignIn is { } signIn
            ? interaction.SignInAsync(
                prompt.Message,
                signIn.Post ? null : signIn.Request,
                signIn.Post ? signIn.Request : null,
                signIn.Timeout is { } portal && portal < signInTimeout ? portal : signInTimeout,
                cancellationToken)
            : interaction.AskAsync(prompt.Message, prompt.Secret, prompt.FromGateway ? PromptSource.Gateway : PromptSource.Portal, cancellationToken);

    public void Report(LoginProgress value) =>
        interaction.Progress(value.Message, value.Gateway is { } g ? GatewayMapping.ToControl(g) : null);
}
