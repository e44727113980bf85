namespace GlobalProtect;

/// <summary>The portal or gateway refused the credentials or the one-time code.</summary>
public sealed class AuthenticationFailedException : GlobalProtectException
{
    public AuthenticationFailedException(string message)
        : base(message)
    {
    }
}
