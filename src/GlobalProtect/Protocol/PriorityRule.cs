namespace GlobalProtect.Protocol;

/// <summary>A gateway's priority for clients of one region (or "Any"); lower numbers are preferred.</summary>
internal sealed record PriorityRule(string Name, int Priority);
