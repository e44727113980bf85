namespace Integration.Tests;

/// <summary>
/// Tests that add network devices (real tun devices) and the tests that drive a real browser run one after the
/// other: Chromium abandons a page load with net::ERR_NETWORK_CHANGED when a device comes or goes meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NetworkDevicesCollection
{
    public const string Name = "network devices";
}
