namespace GpControl;

public sealed record InterfaceNotFoundError(string Interface);
