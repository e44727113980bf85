using System.Security.Cryptography;
using GpDaemon.TestSupport;

namespace Systemd.Tests.Support;

/// <summary>Names that no other test run on this machine uses: the containers share the host's network namespace,
/// so interface names, addresses and machine names must not collide.</summary>
internal static class UniqueName
{
    /// <summary>prefix + 6 hex digits; keep prefix at most 9 characters for interface names (15 at most).</summary>
    public static string Next(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>An address in 10.99.0.0/16 for the fake gateway to hand out, away from the fake's 10.99.0.x defaults.</summary>
    public static string TunnelAddress() => $"10.99.{RandomNumberGenerator.GetInt32(1, 255)}.{RandomNumberGenerator.GetInt32(2, 255)}";
}
