namespace FakeGlobalProtect.Protocol;

/// <summary>What /ssl-vpn/getconfig.esp hands out to a session.</summary>
public sealed record GatewayConfig(
    string Ip,
    string Netmask,
    int Mtu,
    string TunnelPath,
    IReadOnlyList<string> Dns,
    IReadOnlyList<string> Routes,
    string GatewaySideAddress,
    string Portal,
    string User,
    IReadOnlyList<string>? DnsSuffixes = null);
