using System.Globalization;
using GpDaemon.TestSupport;

namespace Systemd.Tests.Support;

/// <summary>
/// The fake portal for the containers, on the host's 127.0.0.1 (the containers share the host's network namespace).
/// Its password is unique, so a test can look for it in logs, and so is its tunnel address: tun devices and routes
/// made in a container land in the host's namespace, and the gateway's only route is that one address.
/// </summary>
internal static class ContainerPortal
{
    /// <param name="delayMs">Delay before every HTTP reply (logins, logout): makes a logout slow enough to interrupt.</param>
    /// <param name="scenario">The fake's scenario: "password", or "portal-cookie" for a portal that issues a cookie to save.</param>
    /// <param name="dnsSuffix">A DNS domain the gateway hands out with its DNS server.</param>
    /// <param name="hipRequired">A gateway that asks for a host-information report.</param>
    public static Task<FakePortal> StartAsync(int delayMs = 0, string scenario = "password", string? dnsSuffix = null, bool hipRequired = false)
    {
        string address = UniqueName.TunnelAddress();
        return FakePortal.StartAsync(scenario, ["--user", FakePortal.User, "--password", UniqueName.Next("pw-"),
            "--ip", address, "--route", address + "/32", "--delay-ms", delayMs.ToString(CultureInfo.InvariantCulture),
            .. dnsSuffix is null ? Array.Empty<string>() : ["--dns-suffix", dnsSuffix],
            .. hipRequired ? ["--hip-required"] : Array.Empty<string>()]);
    }
}
