using System.Security.Cryptography;
using GpControl;

namespace GpDaemon.Connection;

internal sealed partial class VpnController
{
    /// <summary>Answers the pending prompt. Only its owner (the uid that called Connect) or root may answer.</summary>
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
            if (uid != 0 && uid != attempt.OwnerUid)
            {
                throw new PromptNotYoursException();
            }
            attempt.Prompt = null;
            answer = prompt.Answer;
        }
        answer.TrySetResult(value);
    }

    /// <summary>Lets the login ask through the state machine: NeedsInput with the portal's prompt, until answered.</summary>
    private sealed class Interaction(VpnController owner, Attempt attempt) : ILoginInteraction
    {
        public async ValueTask<string> AskAsync(string message, bool secret, string from, CancellationToken cancellationToken)
        {
            if (attempt.Request.Source == ConnectSource.Autoconnect)
            {
                // Nobody is there at boot to answer; fail now with what would help instead of waiting for nobody.
                throw new ConnectFailedException(FailureKind.Authentication,
                    $"the {from} asks \"{message}\", which autoconnect cannot answer: configure a password (password_file or the systemd credential \"password\") or run gpctl connect");
            }
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (owner._gate)
            {
                if (owner._attempt != attempt || attempt.Stopping)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                attempt.Prompt = new PendingPrompt(id, answer);
                owner.Publish(owner._current.Status with
                {
                    State = nameof(VpnState.NeedsInput),
                    Prompt = new Prompt(id, message, secret) { From = from },
                    Message = null,
                }, null, attempt.OwnerUid);
            }
            try
            {
                string value = await answer.Task.WaitAsync(owner.PromptTimeout, owner._time, cancellationToken).ConfigureAwait(false);
                owner.Update(attempt, s => s with { State = nameof(VpnState.Authenticating), Prompt = null });
                return value;
            }
            catch (TimeoutException)
            {
                throw new ConnectFailedException(FailureKind.Authentication,
                    $"nobody answered \"{message}\" within {Describe(owner.PromptTimeout)}");
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
            owner.Update(attempt, s => s.StateValue == VpnState.Authenticating
                ? s with { Message = message, Gateway = gateway ?? s.Gateway }
                : s);
    }
}

internal sealed class NoSuchPromptException(string id) : Exception($"no pending prompt with id {id}")
{
    public string Id { get; } = id;
}

internal sealed class PromptNotYoursException() : Exception("the prompt belongs to another user's connect");
