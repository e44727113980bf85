namespace FakeGlobalProtect.Protocol;

/// <summary>A gateway as the portal lists it: address (the entry's name), label, and priority rules by region.</summary>
public sealed record GatewayEntry(
    string Address,
    string Description,
    int Priority,
    IReadOnlyList<KeyValuePair<string, int>> PriorityRules);
