namespace GpDaemon.Config;

/// <summary>A group the configuration names, with its gid as NSS resolved it at the last (re)load; null when there is no such group.</summary>
internal sealed record ResolvedGroup(string Name, uint? Id);
