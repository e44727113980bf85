namespace GlobalProtect;

/// <summary>What a prompt asks for.</summary>
public enum LoginPromptKind
{
    Username,
    Password,
    Challenge,
}
