namespace GlobalProtect.Protocol;

internal enum PreloginStatus
{
    Success,
    Error,

    /// <summary>"GlobalProtect portal does not exist": the host is only a gateway.</summary>
    PortalNotFound,

    /// <summary>"GlobalProtect gateway does not exist".</summary>
    GatewayNotFound,
}
