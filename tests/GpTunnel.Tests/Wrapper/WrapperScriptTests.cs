using System.Diagnostics;
using GpTunnel.Tests.Support;
using GpTunnel.Wrapper;

namespace GpTunnel.Tests.Wrapper;

/// <summary>Runs the generated script with /bin/sh the way openconnect does.</summary>
public sealed class WrapperScriptTests
{
    private const string Nonce = "n0nce";

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string script, IReadOnlyDictionary<string, string> environment)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("wrapper.sh");
        await File.WriteAllTextAsync(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec '" + path + "'" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(EventReader.Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static WrapperReport SingleReport(string stdout)
    {
        var reader = new WrapperReportReader(Nonce);
        WrapperReport? found = null;
        foreach (var line in stdout.Split('\n'))
        {
            if (reader.TryAccept(line, out var report) && report is not null)
            {
                found = found is null ? report : throw new InvalidOperationException("two reports");
            }
        }
        return found ?? throw new InvalidOperationException("no report in: " + stdout);
    }

    [Fact]
    public async Task Connect_runs_the_vpnc_script_then_reports_its_environment_and_status()
    {
        using var directory = new TempDirectory();
        var vpnc = directory.Combine("vpnc");
        await File.WriteAllTextAsync(vpnc, $"#!/bin/sh\necho \"vpnc $reason $TUNDEV\" > '{directory.Combine("seen")}'\nexit 3\n");
        File.SetUnixFileMode(vpnc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, stdout, _) = await RunAsync(WrapperScript.Render(Nonce, vpnc), new Dictionary<string, string>
        {
            ["reason"] = "connect",
            ["TUNDEV"] = "tun7",
            ["INTERNAL_IP4_ADDRESS"] = "10.99.0.2",
            ["INTERNAL_IP4_DNS"] = "10.99.0.53 10.99.0.54",
            ["CISCO_SPLIT_INC"] = "1",
            ["CISCO_SPLIT_INC_0_ADDR"] = "10.99.0.0",
            ["CISCO_SPLIT_INC_0_MASKLEN"] = "16",
        });

        Assert.Equal(3, exitCode);
        Assert.Equal("vpnc connect tun7\n", await File.ReadAllTextAsync(directory.Combine("seen")));
        var report = SingleReport(stdout);
        Assert.Equal(("connect", 3), (report.Reason, report.Status));
        Assert.Equal("tun7", report["TUNDEV"]);
        Assert.Equal("10.99.0.53 10.99.0.54", report["INTERNAL_IP4_DNS"]);
        Assert.Equal(["10.99.0.0/16"], report.ToTunnelInfo().Routes);
    }

    [Fact]
    public async Task Values_with_line_breaks_or_shell_characters_are_withheld_not_printed()
    {
        var (_, stdout, _) = await RunAsync(WrapperScript.Render(Nonce, null), new Dictionary<string, string>
        {
            ["reason"] = "connect",
            ["CISCO_DEF_DOMAIN"] = "corp.example\n@gptunnel:n0nce set TUNDEV=evil",
            ["TUNDEV"] = "tun0; rm -rf /",
            ["INTERNAL_IP4_ADDRESS"] = "10.0.0.1",
        });

        var report = SingleReport(stdout);
        Assert.Null(report["CISCO_DEF_DOMAIN"]);
        Assert.Null(report["TUNDEV"]);
        Assert.Equal(["TUNDEV", "CISCO_DEF_DOMAIN"], report.UnsafeVariables);
        Assert.Equal("10.0.0.1", report["INTERNAL_IP4_ADDRESS"]);
    }

    [Fact]
    public async Task Missing_vpnc_script_is_reported_as_status_127()
    {
        var (exitCode, stdout, stderr) = await RunAsync(WrapperScript.Render(Nonce, "/nonexistent/vpnc-script"),
            new Dictionary<string, string> { ["reason"] = "pre-init" });

        Assert.Equal(127, exitCode);
        Assert.Equal(127, SingleReport(stdout).Status);
        Assert.Contains("/nonexistent/vpnc-script", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_count_that_is_not_a_number_reports_no_routes()
    {
        var (_, stdout, _) = await RunAsync(WrapperScript.Render(Nonce, null), new Dictionary<string, string>
        {
            ["reason"] = "connect",
            ["CISCO_SPLIT_INC"] = "1; echo pwned",
            ["CISCO_SPLIT_INC_0_ADDR"] = "10.0.0.0",
        });

        Assert.DoesNotContain("pwned", stdout, StringComparison.Ordinal);
        Assert.Empty(SingleReport(stdout).ToTunnelInfo().Routes);
    }

    [Fact]
    public void Vpnc_script_path_with_quotes_is_one_shell_word()
    {
        var script = WrapperScript.Render(Nonce, "/opt/it's here/vpnc-script");
        Assert.Contains("vpnc_script='/opt/it'\\''s here/vpnc-script'", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_routes_replace_the_gateways_includes_and_add_excludes_for_the_vpnc_script_and_the_report()
    {
        using var directory = new TempDirectory();
        var vpnc = directory.Combine("vpnc");
        // The stand-in vpnc-script prints what the real one reads.
        await File.WriteAllTextAsync(vpnc, $"#!/bin/sh\nenv | grep '^CISCO_' | sort > '{directory.Combine("seen")}'\n");
        File.SetUnixFileMode(vpnc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var routes = new SplitRoutes(
            [SplitRoutes.TryParseNetwork("10.1.0.0/16")!.Value, SplitRoutes.TryParseNetwork("fd00:1::/48")!.Value],
            [SplitRoutes.TryParseNetwork("10.1.5.0/24")!.Value]);

        var (exitCode, stdout, stderr) = await RunAsync(WrapperScript.Render(Nonce, vpnc, routes: routes), new Dictionary<string, string>
        {
            ["reason"] = "connect",
            ["TUNDEV"] = "tun7",
            ["CISCO_SPLIT_INC"] = "1",
            ["CISCO_SPLIT_INC_0_ADDR"] = "10.99.0.0",
            ["CISCO_SPLIT_INC_0_MASKLEN"] = "16",
            ["CISCO_SPLIT_EXC"] = "1",
            ["CISCO_SPLIT_EXC_0_ADDR"] = "10.99.7.0",
            ["CISCO_SPLIT_EXC_0_MASKLEN"] = "24",
        });

        Assert.True(exitCode == 0, stderr);
        string seen = await File.ReadAllTextAsync(directory.Combine("seen"));
        Assert.Contains("CISCO_SPLIT_INC=1\n", seen);
        Assert.Contains("CISCO_SPLIT_INC_0_ADDR=10.1.0.0\n", seen);
        Assert.Contains("CISCO_SPLIT_INC_0_MASK=255.255.0.0\n", seen);
        Assert.Contains("CISCO_SPLIT_INC_0_MASKLEN=16\n", seen);
        Assert.Contains("CISCO_IPV6_SPLIT_INC=1\n", seen);
        Assert.Contains("CISCO_IPV6_SPLIT_INC_0_ADDR=fd00:1::\n", seen);
        Assert.Contains("CISCO_IPV6_SPLIT_INC_0_MASKLEN=48\n", seen);
        Assert.Contains("CISCO_SPLIT_EXC=2\n", seen);
        Assert.Contains("CISCO_SPLIT_EXC_1_ADDR=10.1.5.0\n", seen);
        Assert.Contains("CISCO_SPLIT_EXC_1_MASK=255.255.255.0\n", seen);
        TunnelInfo info = SingleReport(stdout).ToTunnelInfo();
        Assert.Equal(["10.1.0.0/16", "fd00:1::/48"], info.Routes);
        Assert.Equal(["10.99.7.0/24", "10.1.5.0/24"], info.ExcludedRoutes);
    }

    [Fact]
    public async Task Split_dns_domains_follow_the_gateways_for_the_vpnc_script_and_the_report()
    {
        using var directory = new TempDirectory();
        var vpnc = directory.Combine("vpnc");
        await File.WriteAllTextAsync(vpnc, $"#!/bin/sh\necho \"$CISCO_SPLIT_DNS\" > '{directory.Combine("seen")}'\n");
        File.SetUnixFileMode(vpnc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, stdout, stderr) = await RunAsync(WrapperScript.Render(Nonce, vpnc, splitDnsDomains: ["corp.example", "lab.example"]),
            new Dictionary<string, string>
            {
                ["reason"] = "connect",
                ["TUNDEV"] = "tun7",
                ["CISCO_DEF_DOMAIN"] = "example.com",
                ["CISCO_SPLIT_DNS"] = "gw.example",
            });

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("gw.example,corp.example,lab.example\n", await File.ReadAllTextAsync(directory.Combine("seen")));
        Assert.Equal(["example.com", "gw.example", "corp.example", "lab.example"], SingleReport(stdout).ToTunnelInfo().DnsDomains);
    }

    [Fact]
    public void Without_configured_routes_the_script_has_no_route_code()
    {
        Assert.DoesNotContain("add_route", WrapperScript.Render(Nonce, null, routes: SplitRoutes.None), StringComparison.Ordinal);
    }
}
