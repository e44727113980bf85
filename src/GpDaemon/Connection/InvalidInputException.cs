namespace GpDaemon.Connection;

/// <summary>An answer the prompt cannot take (a sign-in result that is garbage or says the sign-in failed).</summary>
internal sealed class InvalidInputException(string id, string message) : Exception(message)
{
    public string Id { get; } = id;
}
