namespace GpDaemon.Instances;

/// <summary>This instance cannot claim its portal, user or interface: another instance holds it, or the claim files are unusable.</summary>
internal sealed class InstanceClaimException(string message) : Exception(message);
