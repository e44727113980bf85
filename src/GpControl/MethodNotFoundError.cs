namespace GpControl;

public sealed record MethodNotFoundError(string Method);
