namespace GpControl;

public sealed record ConnectParameters(string? Portal, string? User = null, string? Password = null, string? Gateway = null)
{
    // The password must never reach a log line through ToString.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Portal = ").Append(Portal).Append(", User = ").Append(User).Append(", Gateway = ").Append(Gateway)
            .Append(", Password = ").Append(Password is null ? "null" : "***");
        return true;
    }
}
