using GpDaemon.TestSupport;
using Systemd.Tests.Service;
using Systemd.Tests.Support;

namespace Systemd.Tests.Dns;

/// <summary>
/// A service container with systemd-resolved running, so that Debian's vpnc-script hands the tunnel's DNS to it with
/// resolvectl, from inside gpdaemon.service's sandbox. systemd-resolved is not installed on the host (that would make
/// the host's /etc/resolv.conf a link to resolved's stub): scripts/install-deps.sh unpacks the package under
/// obj/deps, and the container lays that tree over its /usr. The container shares the host's network namespace, so
/// resolved is told to listen nowhere (no stub on 127.0.0.53, no LLMNR or mDNS).
/// </summary>
public sealed class ResolvedContainerFixture : ContainerFixture
{
    /// <summary>The DNS domain the fake gateway hands out.</summary>
    internal const string GatewayDomain = "gw.example";

    /// <summary>The config's [dns] split_domains.</summary>
    internal const string SplitDomain = "corp.example";

    private static readonly string ResolvedTree = Path.Combine(Binaries.RepositoryRoot, "obj", "deps", "systemd-resolved", "usr");

    private protected override Task<FakePortal> StartPortalAsync() => ContainerPortal.StartAsync(dnsSuffix: GatewayDomain);

    private protected override IReadOnlyList<string> UsrLayers => [ResolvedTree];

    private protected override Task PrepareAsync()
    {
        if (!File.Exists(Path.Combine(ResolvedTree, "lib", "systemd", "systemd-resolved")))
        {
            throw new InvalidOperationException($"{ResolvedTree} has no systemd-resolved: run `make deps` (scripts/install-deps.sh unpacks it there)");
        }
        Install.WriteConfig($"""
            servercert = "{Fake.Pin}"

            [openconnect]
            interface = "{Interface}"

            [dns]
            split_domains = ["{SplitDomain}"]
            """);
        return Task.CompletedTask;
    }

    private protected override async Task BootedAsync()
    {
        // The vpnc-script uses resolvectl only when nsswitch.conf names the resolve module and `resolvectl status` works.
        // It finds the link's index with awk, which the host's /usr has only through /etc/alternatives (not in the
        // container's empty /etc).
        ProcessResult setup = await Container.ExecAsync("sh", "-euc", """
            printf 'hosts: files resolve dns\n' > /etc/nsswitch.conf
            mkdir -p /etc/alternatives
            ln -s "$(command -v mawk || command -v gawk)" /etc/alternatives/awk
            mkdir -p /etc/systemd/resolved.conf.d
            printf '[Resolve]\nDNSStubListener=no\nLLMNR=no\nMulticastDNS=no\n' > /etc/systemd/resolved.conf.d/test.conf
            systemd-sysusers
            systemd-tmpfiles --create systemd-resolve.conf
            systemctl start systemd-resolved.service
            resolvectl status >/dev/null
            """);
        if (setup.ExitCode != 0)
        {
            throw new InvalidOperationException("starting systemd-resolved in the container failed: " + setup + await Container.DescribeAsync("systemd-resolved.service"));
        }
    }
}
