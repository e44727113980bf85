namespace GpControl;

public sealed record Gateway(string Name, string Address, int? Priority);
