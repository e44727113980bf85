namespace GpControl;

public sealed record AlreadyConnectedError(string Portal, string State);
