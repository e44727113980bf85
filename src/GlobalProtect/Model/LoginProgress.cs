namespace GlobalProtect;

/// <summary>A step of the login, with a sentence for the user.</summary>
public sealed record LoginProgress(LoginStage Stage, string Message, GatewayInfo? Gateway = null);
