namespace GpDaemon.Control;

internal sealed class PermissionDeniedException(string action) : Exception($"permission denied: {action}")
{
    public string Action { get; } = action;
}
