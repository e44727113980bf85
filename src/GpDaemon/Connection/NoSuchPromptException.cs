namespace GpDaemon.Connection;

internal sealed class NoSuchPromptException(string id) : Exception($"no pending prompt with id {id}")
{
    public string Id { get; } = id;
}
