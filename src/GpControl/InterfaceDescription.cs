namespace GpControl;

public sealed record InterfaceDescription(string Description);
