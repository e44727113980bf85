namespace GpControl;

public sealed record MessageError(string Message);
