namespace GlobalProtect;

/// <summary>
/// The portal or gateway cannot serve this login: it refuses, is unreachable, answers with a server
/// error or not at all, offers no usable gateway, or requires a sign-in method this client lacks.
/// </summary>
public sealed class PortalException : GlobalProtectException
{
    public PortalException(string message)
        : base(message)
    {
    }

    public PortalException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
