using System.Globalization;

namespace GpTunnel.Wrapper;

/// <summary>One report of the wrapper script: the reason openconnect called it with, the vpnc-script's
/// exit status, and the variables it saw.</summary>
internal sealed record WrapperReport(
    string Reason,
    int Status,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<string> UnsafeVariables)
{
    /// <summary>
    /// The most entries kept of each list the gateway pushes (routes, DNS servers, domains). Its counts come from
    /// the gateway: unbounded, a count of 2^31 would stall the reader, and thousands of routes would make every
    /// status reply larger than a client reads.
    /// </summary>
    public const int MaxListEntries = 256;

    public string? this[string name] => Variables.TryGetValue(name, out var value) ? value : null;

    public TunnelInfo ToTunnelInfo()
    {
        var ipv6 = this["INTERNAL_IP6_ADDRESS"];
        if (ipv6 is null && this["INTERNAL_IP6_NETMASK"] is { } netmask6 && netmask6.Contains('/'))
        {
            ipv6 = netmask6[..netmask6.IndexOf('/')];
        }

        List<string> dns = [.. SplitList(this["INTERNAL_IP4_DNS"]), .. SplitList(this["INTERNAL_IP6_DNS"])];
        List<string> routes = [.. Routes("CISCO_SPLIT_INC"), .. Routes("CISCO_IPV6_SPLIT_INC")];
        int? mtu = int.TryParse(this["INTERNAL_IP4_MTU"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0
            ? m
            : null;

        return new TunnelInfo(this["TUNDEV"], this["INTERNAL_IP4_ADDRESS"], ipv6, dns.Distinct().ToList(), routes,
            this["VPNGATEWAY"], mtu)
        {
            DnsDomain = this["CISCO_DEF_DOMAIN"],
            ExcludedRoutes = [.. Routes("CISCO_SPLIT_EXC"), .. Routes("CISCO_IPV6_SPLIT_EXC")],
            DnsDomains = [.. SplitList(this["CISCO_DEF_DOMAIN"]).Concat(SplitList(this["CISCO_SPLIT_DNS"])).Distinct(StringComparer.OrdinalIgnoreCase)],
        };
    }

    private IEnumerable<string> Routes(string prefix)
    {
        if (!int.TryParse(this[prefix], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            yield break;
        }

        for (var i = 0; i < Math.Min(count, MaxListEntries); i++)
        {
            var address = this[$"{prefix}_{i}_ADDR"];
            if (address is null)
            {
                continue;
            }

            var length = this[$"{prefix}_{i}_MASKLEN"];
            yield return length is null ? address : $"{address}/{length}";
        }
    }

    private static IEnumerable<string> SplitList(string? value) =>
        (value?.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []).Take(MaxListEntries);
}
