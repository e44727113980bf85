namespace GpDaemon.Connection;

internal sealed class PromptNotYoursException() : Exception("the prompt belongs to another user's connect");
