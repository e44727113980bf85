namespace GpControl;

// Parameters and replies of io.gpdaemon.Vpn and org.varlink.service, as records for the JSON source generator.

public sealed record EmptyParameters;

public sealed record StatusReply(VpnStatus Status);

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

/// <param name="Forget">Also remove the caller's saved session (for <paramref name="Portal"/>, else the connection's portal, else the configured one).</param>
public sealed record DisconnectParameters(bool? Forget = null, string? Portal = null);

/// <param name="Forgot">With forget: the portal whose saved session was removed; null when there was none.</param>
public sealed record DisconnectReply(VpnStatus Status, string? Forgot = null);

public sealed record SubmitInputParameters(string Id, string Value)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Value = ***");
        return true;
    }
}

public sealed record AlreadyConnectedError(string Portal, string State);

public sealed record MessageError(string Message);

public sealed record PermissionDeniedError(string Action, string? Group = null);

public sealed record InvalidParameterError(string Parameter);

public sealed record MethodNotFoundError(string Method);

public sealed record InterfaceNotFoundError(string Interface);

public sealed record ServiceInfo(string Vendor, string Product, string Version, string Url, IReadOnlyList<string> Interfaces);

public sealed record InterfaceDescriptionParameters(string Interface);

public sealed record InterfaceDescription(string Description);

public sealed record NoSuchPromptError(string Id);

public sealed record InvalidInputError(string Id, string Message);
