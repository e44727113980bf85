namespace GpControl;

public sealed record InterfaceDescriptionParameters(string Interface);
