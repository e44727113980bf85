namespace GlobalProtect;

/// <summary>How secrets appear in ToString output: present or not, never their value.</summary>
internal static class Redact
{
    public static string Secret(string? value) => value is null ? "null" : "***";
}
