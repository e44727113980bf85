namespace GlobalProtect.Protocol;

/// <summary>One <c>&lt;entry&gt;</c> of the portal's gateway lists.</summary>
/// <param name="Address">The entry's <c>name</c> attribute: <c>host[:port]</c>.</param>
/// <param name="Description">The label users know the gateway by.</param>
/// <param name="Priority">The entry's plain <c>&lt;priority&gt;</c>.</param>
/// <param name="PriorityRules">The entry's <c>&lt;priority-rule&gt;</c> entries, in document order.</param>
/// <param name="Internal">True for entries of the <c>&lt;internal&gt;</c> list.</param>
internal sealed record PortalGateway(
    string Address,
    string? Description,
    int? Priority,
    IReadOnlyList<PriorityRule> PriorityRules,
    bool Internal)
{
    public string Name => Description ?? Address;

    /// <summary>The priority rule for this region, if any (region names compare case-insensitively).</summary>
    public int? RulePriority(string? region) =>
        region is null
            ? null
            : PriorityRules.FirstOrDefault(r => r.Name.Equals(region, StringComparison.OrdinalIgnoreCase))?.Priority;

    /// <summary>The priority that applies to a client of this region: its region rule, else "Any", else the plain one.</summary>
    public int? EffectivePriority(string? region) => RulePriority(region) ?? RulePriority("Any") ?? Priority;

    public GatewayInfo ToInfo(string? region) => new(Name, Address, EffectivePriority(region));
}
