namespace GlobalProtect.Tests.Support;

/// <summary>Answers prompts from a function and records them.</summary>
internal sealed class RecordingPrompter(Func<LoginPrompt, string> answer) : ILoginPrompter
{
    public List<LoginPrompt> Prompts { get; } = [];

    /// <summary>Fails the test on any prompt.</summary>
    public static RecordingPrompter None() => new(p => throw new InvalidOperationException($"unexpected prompt: {p}"));

    public ValueTask<string> AskAsync(LoginPrompt prompt, CancellationToken cancellationToken)
    {
        Prompts.Add(prompt);
        return ValueTask.FromResult(answer(prompt));
    }
}
