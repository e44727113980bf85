namespace GlobalProtect;

/// <summary>The steps of a login, in the order they happen.</summary>
public enum LoginStage
{
    PortalPrelogin,
    PortalConfig,
    GatewaySelected,
    GatewayPrelogin,
    GatewayLogin,
    Done,
}
