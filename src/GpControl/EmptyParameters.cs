namespace GpControl;

public sealed record EmptyParameters;
