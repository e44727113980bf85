namespace GpControl;

public sealed record Prompt(string Id, string Message, bool Secret)
{
    /// <summary>Who asks: <see cref="PromptSource.Portal"/> or <see cref="PromptSource.Gateway"/> (older daemons: absent).</summary>
    public string? From { get; init; }

    /// <summary>The kind for a sign-in in the browser; absent means a text answer (password, code).</summary>
    public const string BrowserKind = "browser";

    /// <summary><see cref="BrowserKind"/>, or null for a text prompt.</summary>
    public string? Kind { get; init; }

    /// <summary>A browser sign-in's address (the identity provider), to open in the user's browser.</summary>
    public string? Url { get; init; }

    /// <summary>A browser sign-in by POST: the HTML page whose form the browser must submit.</summary>
    public string? Form { get; init; }

    /// <summary>When the daemon stops waiting for the answer (ISO 8601, UTC).</summary>
    public string? Expires { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsBrowserSignIn => Kind == BrowserKind;
}
