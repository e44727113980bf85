namespace GlobalProtect;

/// <summary>
/// A GlobalProtect protocol failure: a response the client cannot use. The message is meant for the
/// user and never contains a password, cookie or one-time code.
/// </summary>
public class GlobalProtectException : Exception
{
    public GlobalProtectException(string message)
        : base(message)
    {
    }

    public GlobalProtectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
