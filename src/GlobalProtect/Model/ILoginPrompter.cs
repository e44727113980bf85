namespace GlobalProtect;

/// <summary>Asks the user for a user name, password or one-time code while a login runs.</summary>
public interface ILoginPrompter
{
    ValueTask<string> AskAsync(LoginPrompt prompt, CancellationToken cancellationToken);
}
