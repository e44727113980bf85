namespace GpControl;

public sealed record ServiceInfo(string Vendor, string Product, string Version, string Url, IReadOnlyList<string> Interfaces);
