namespace GlobalProtect.Tests.Support;

/// <summary>How a server says "wrong credentials".</summary>
internal enum RefusalForm
{
    Http512,
    StatusError,
    Script,
}
