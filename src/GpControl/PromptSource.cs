namespace GpControl;

/// <summary>The values of <see cref="Prompt.From"/>.</summary>
public static class PromptSource
{
    public const string Portal = "portal";
    public const string Gateway = "gateway";
}
