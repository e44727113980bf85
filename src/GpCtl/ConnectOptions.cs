namespace GpCtl;

internal sealed record ConnectOptions(string? Portal, string? User, string? Gateway, bool PasswordOnStdin, bool NoWait);
