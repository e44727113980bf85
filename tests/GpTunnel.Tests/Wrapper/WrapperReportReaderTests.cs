using GpTunnel.Wrapper;

namespace GpTunnel.Tests.Wrapper;

public sealed class WrapperReportReaderTests
{
    private const string Nonce = "abc123";
    private const string Tag = "@gptunnel:abc123";

    private static List<WrapperReport> Feed(WrapperReportReader reader, params string[] lines)
    {
        var reports = new List<WrapperReport>();
        foreach (var line in lines)
        {
            if (reader.TryAccept(line, out var report) && report is not null)
            {
                reports.Add(report);
            }
        }
        return reports;
    }

    [Fact]
    public void Begin_set_end_makes_one_report()
    {
        var reports = Feed(new WrapperReportReader(Nonce),
            $"{Tag} begin connect",
            $"{Tag} set TUNDEV=tun0",
            $"{Tag} set INTERNAL_IP4_DNS=10.0.0.53 10.0.0.54",
            $"{Tag} unsafe CISCO_DEF_DOMAIN",
            $"{Tag} end connect 0");

        var report = Assert.Single(reports);
        Assert.Equal(("connect", 0), (report.Reason, report.Status));
        Assert.Equal("tun0", report["TUNDEV"]);
        Assert.Equal("10.0.0.53 10.0.0.54", report["INTERNAL_IP4_DNS"]);
        Assert.Equal(["CISCO_DEF_DOMAIN"], report.UnsafeVariables);
    }

    [Fact]
    public void Lines_without_this_runs_nonce_are_not_reports()
    {
        var reader = new WrapperReportReader(Nonce);
        Assert.False(reader.TryAccept("@gptunnel:other begin connect", out _));
        Assert.False(reader.TryAccept("Configured as 10.0.0.1, with SSL connected and ESP disabled", out _));
        Assert.False(reader.TryAccept($"x{Tag} begin connect", out _));
    }

    [Fact]
    public void Interleaved_openconnect_lines_do_not_disturb_a_report()
    {
        var reader = new WrapperReportReader(Nonce);
        var reports = Feed(reader, $"{Tag} begin tun-script", $"{Tag} set INTERNAL_IP4_ADDRESS=10.1.1.1");
        Assert.False(reader.TryAccept("Read error on SSL session", out _));
        reports.AddRange(Feed(reader, $"{Tag} end tun-script 0"));
        Assert.Equal("10.1.1.1", Assert.Single(reports)["INTERNAL_IP4_ADDRESS"]);
    }

    [Fact]
    public void Report_without_begin_or_with_a_mismatched_end_is_dropped()
    {
        Assert.Empty(Feed(new WrapperReportReader(Nonce), $"{Tag} set TUNDEV=tun0", $"{Tag} end connect 0"));
        Assert.Empty(Feed(new WrapperReportReader(Nonce), $"{Tag} begin connect", $"{Tag} end disconnect 0"));
        Assert.Empty(Feed(new WrapperReportReader(Nonce), $"{Tag} begin connect", $"{Tag} end connect x"));
    }

    [Fact]
    public void A_new_begin_discards_an_unfinished_report()
    {
        var reports = Feed(new WrapperReportReader(Nonce),
            $"{Tag} begin pre-init", $"{Tag} set TUNDEV=old",
            $"{Tag} begin connect", $"{Tag} end connect 0");
        Assert.Null(Assert.Single(reports)["TUNDEV"]);
    }

    [Fact]
    public void Report_becomes_tunnel_info_with_routes_in_cidr_form()
    {
        var report = new WrapperReport("connect", 0, new Dictionary<string, string>
        {
            ["TUNDEV"] = "tun0",
            ["VPNGATEWAY"] = "203.0.113.7",
            ["INTERNAL_IP4_ADDRESS"] = "10.99.0.2",
            ["INTERNAL_IP4_MTU"] = "1400",
            ["INTERNAL_IP4_DNS"] = "10.99.0.53 10.99.0.54",
            ["INTERNAL_IP6_NETMASK"] = "fd00::2/64",
            ["INTERNAL_IP6_DNS"] = "fd00::53",
            ["CISCO_DEF_DOMAIN"] = "corp.example",
            ["CISCO_SPLIT_INC"] = "2",
            ["CISCO_SPLIT_INC_0_ADDR"] = "10.0.0.0",
            ["CISCO_SPLIT_INC_0_MASKLEN"] = "8",
            ["CISCO_SPLIT_INC_1_ADDR"] = "192.168.1.0",
            ["CISCO_SPLIT_INC_1_MASKLEN"] = "24",
            ["CISCO_IPV6_SPLIT_INC"] = "1",
            ["CISCO_IPV6_SPLIT_INC_0_ADDR"] = "fd00::",
            ["CISCO_IPV6_SPLIT_INC_0_MASKLEN"] = "48",
        }, []);

        var info = report.ToTunnelInfo();

        Assert.Equal("tun0", info.Interface);
        Assert.Equal("10.99.0.2", info.Ipv4);
        Assert.Equal("fd00::2", info.Ipv6);
        Assert.Equal(["10.99.0.53", "10.99.0.54", "fd00::53"], info.Dns);
        Assert.Equal(["10.0.0.0/8", "192.168.1.0/24", "fd00::/48"], info.Routes);
        Assert.Equal("203.0.113.7", info.Gateway);
        Assert.Equal(1400, info.Mtu);
        Assert.Equal("corp.example", info.DnsDomain);
    }

    [Fact]
    public void Lists_the_gateway_pushes_are_bounded_whatever_counts_it_claims()
    {
        var variables = new Dictionary<string, string>
        {
            ["TUNDEV"] = "tun0",
            ["INTERNAL_IP4_ADDRESS"] = "10.99.0.2",
            ["CISCO_SPLIT_INC"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["INTERNAL_IP4_DNS"] = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"10.1.{i / 250}.{i % 250}")),
            ["CISCO_SPLIT_DNS"] = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"d{i}.example")),
        };
        for (var i = 0; i < 1000; i++)
        {
            variables[$"CISCO_SPLIT_INC_{i}_ADDR"] = $"10.{i / 250}.{i % 250}.0";
        }

        var info = new WrapperReport("connect", 0, variables, []).ToTunnelInfo();

        Assert.Equal(WrapperReport.MaxListEntries, info.Routes.Count);
        Assert.Equal("10.0.0.0", info.Routes[0]);
        Assert.Equal(WrapperReport.MaxListEntries, info.Dns.Count);
        Assert.Equal(WrapperReport.MaxListEntries, info.DnsDomains.Count);
    }
}
