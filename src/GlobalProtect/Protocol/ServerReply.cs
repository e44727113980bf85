using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>What a portal getconfig or gateway login answered.</summary>
internal abstract record ServerReply
{
    private ServerReply()
    {
    }

    /// <summary>An XML document to hand to the step's own parser (<c>&lt;policy&gt;</c> or <c>&lt;jnlp&gt;</c>).</summary>
    public sealed record Document(XElement Root) : ServerReply;

    /// <summary>A one-time code is needed: re-POST with <c>inputStr</c> and the code in <c>passwd</c>.</summary>
    public sealed record Challenge(string Message, string InputStr) : ServerReply;

    /// <summary>The credentials were refused (HTTP 512, <c>status="error"</c>, or <c>respStatus = "Error"</c>).</summary>
    public sealed record Refused(string Message) : ServerReply;

    /// <summary>"GlobalProtect portal/gateway does not exist".</summary>
    public sealed record NotFound(string Message, PreloginStatus Kind) : ServerReply;
}
