namespace GpControl;

public sealed record PermissionDeniedError(string Action, string? Group = null);
