using System.Text.Json.Serialization;

namespace GlobalProtect;

/// <summary>A gateway the portal offers.</summary>
/// <param name="Name">The portal's description of the gateway, or its address when it has none.</param>
/// <param name="Address"><c>host[:port]</c>, what openconnect connects to.</param>
/// <param name="Priority">The priority that ranked it for the client's region (lower wins), if the portal gave one.</param>
public sealed record GatewayInfo(string Name, string Address, int? Priority)
{
    /// <summary>"Name (address)", or just the address when the gateway has no description.</summary>
    [JsonIgnore]
    public string DisplayName =>
        string.Equals(Name, Address, StringComparison.OrdinalIgnoreCase) ? Address : $"{Name} ({Address})";
}
