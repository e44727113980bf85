namespace FakeGlobalProtect.Options;

/// <summary>The flow variant the fake portal+gateway plays (see README.md for each one).</summary>
public enum Scenario
{
    Password,
    PortalMfa,
    GatewayMfa,
    MultiGateway,
    PortalCookie,
    GatewayRejectsCookie,
    WrongPassword,
    GatewayOnly,
    Saml,
    Slow,
    Hang,
    Malformed,
    Http500,
    Tunnel502,
    DropTunnel,
    StatusError,
    HugeBody,
    Endless,
    WrongCert,
    RedirectLoop,
    DeepXml,
    SamlPost,
    SamlGateway,
    SamlCas,
    SamlHeader,
    SamlExpiry,
    HostileText,
}
