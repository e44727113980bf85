namespace GpControl;

public sealed record InvalidParameterError(string Parameter);
