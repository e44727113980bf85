namespace GpControl;

public sealed record NoSuchPromptError(string Id);
