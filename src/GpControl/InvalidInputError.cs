namespace GpControl;

public sealed record InvalidInputError(string Id, string Message);
