namespace GpDaemon.Control;

/// <summary>Upper bounds of the call parameters: far above any real value.</summary>
internal static class ParameterLimits
{
    public const int Portal = 1024;
    public const int Name = 256;
    public const int Secret = 4096;
    public const int PromptId = 64;
    /// <summary>A pasted sign-in result (a globalprotectcallback: link carries a base64 document).</summary>
    public const int SignInResult = 16 * 1024;
}
