using System.Globalization;
using System.Security.Cryptography;
using GpControl;
using GpDaemon.Backend;

namespace GpDaemon.Connection;

internal sealed partial class ConnectionStateMachine
{
    /// <summary>
    /// Answers the pending prompt. Only its owner (the uid that called Connect) or root may answer; an
    /// autoconnect's prompt belongs to nobody in particular, so any caller allowed to control the daemon may. A
    /// browser sign-in's answer is checked before it is taken: one that cannot be used leaves the prompt waiting.
    /// </summary>
    public void SubmitInput(string id, string value, uint uid)
    {
        TaskCompletionSource<string> answer;
        lock (_gate)
        {
            Attempt? attempt = _attempt;
            if (attempt?.Prompt is not { } prompt || prompt.Id != id)
            {
                throw new NoSuchPromptException(id);
            }
            if (uid != 0 && uid != attempt.OwnerUid && attempt.Request.Source != ConnectSource.Autoconnect)
            {
                throw new PromptNotYoursException();
            }
            if (prompt.SignIn && GlobalProtect.SamlCallback.Problem(value) is { } problem)
            {
                LogSignInRefused(_logger, problem);
                throw new InvalidInputException(id, problem);
            }
            attempt.Prompt = null;
            answer = prompt.Answer;
        }
        answer.TrySetResult(value);
    }

    /// <summary>Lets the login ask through the state machine: NeedsInput with the portal's prompt, until answered.</summary>
    private sealed class Interaction(ConnectionStateMachine owner, Attempt attempt) : ILoginInteraction
    {
        // At boot nobody may be there yet: the prompt waits (bounded) for `gpctl connect` to attach and answer it.
        public ValueTask<string> AskAsync(string message, bool secret, string from, CancellationToken cancellationToken) =>
            WaitAsync(new Prompt("", message, secret) { From = from }, owner.PromptTimeout, cancellationToken);

        public ValueTask<string> SignInAsync(string message, string? url, string? form, TimeSpan timeout, CancellationToken cancellationToken) =>
            WaitAsync(new Prompt("", message, Secret: true) { Kind = Prompt.BrowserKind, Url = url, Form = form }, timeout, cancellationToken);

        private async ValueTask<string> WaitAsync(Prompt shown, TimeSpan timeout, CancellationToken cancellationToken)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (owner._gate)
            {
                if (!owner.IsCurrent(attempt))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                attempt.Prompt = new PendingPrompt(id, answer, shown.IsBrowserSignIn);
                owner.Transition(ConnectionEvent.PromptShown, s => s with
                {
                    Prompt = shown with
                    {
                        Id = id,
                        Expires = owner._time.GetUtcNow().Add(timeout).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    },
                    Message = null,
                }, null, attempt.OwnerUid);
            }
            try
            {
                string value = await answer.Task.WaitAsync(timeout, owner._time, cancellationToken).ConfigureAwait(false);
                owner.Apply(attempt, ConnectionEvent.PromptAnswered, s => s with { Prompt = null });
                return value;
            }
            catch (TimeoutException)
            {
                throw new ConnectFailedException(FailureKind.Authentication, shown.IsBrowserSignIn
                    ? $"the sign-in in the browser was not completed within {Describe(timeout)}: run gpctl connect again"
                    : $"nobody answered \"{shown.Message}\" within {Describe(timeout)}");
            }
            finally
            {
                lock (owner._gate)
                {
                    if (attempt.Prompt?.Id == id)
                    {
                        attempt.Prompt = null;
                    }
                }
            }
        }

        private static string Describe(TimeSpan span) => span.TotalMinutes >= 1
            ? $"{span.TotalMinutes:0} minutes"
            : $"{span.TotalSeconds:0} seconds";

        public void Progress(string message, Gateway? gateway) =>
            owner.Update(attempt, s => s.State == ConnectionState.Authenticating
                ? s with { Message = message, Gateway = gateway ?? s.Gateway }
                : s);
    }
}
