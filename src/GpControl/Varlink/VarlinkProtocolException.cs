namespace GpControl.Varlink;

/// <summary>A framing or syntax error after which a connection cannot be trusted to stay in step: close it.</summary>
public sealed class VarlinkProtocolException : Exception
{
    public VarlinkProtocolException(string message) : base(message) { }

    public VarlinkProtocolException(string message, Exception inner) : base(message, inner) { }
}
