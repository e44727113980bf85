using System.Globalization;
using GpTunnel.Tests.Support;
using Tmds.Linux;

namespace GpTunnel.Tests.RealOpenConnect;

/// <summary>The supervisor driving the real openconnect 9 against the fake GlobalProtect gateway.</summary>
public sealed class RealOpenConnectTests
{
    [RealOpenConnectFact]
    public async Task Script_tun_tunnel_comes_up_with_the_gateway_config_and_logs_out_on_stop()
    {
        await using var fake = await FakePortal.StartAsync();
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();
        var logger = new RecordingLogger<OpenConnectSupervisor>();

        await using var tunnel = await StartScriptTunAsync(fake, cookie, directory, logger);
        var (up, before) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        Assert.Empty(before);
        Assert.Equal("10.99.0.2", up.Info.Ipv4);
        Assert.Null(up.Info.Interface);
        Assert.Contains("10.99.0.53", up.Info.Dns);
        Assert.Equal("127.0.0.1", up.Info.Gateway);
        Assert.NotNull(up.Info.SessionExpires);
        await fake.WaitForEventAsync("tunnel-connect");

        await tunnel.StopAsync(EventReader.Deadline());

        Assert.Equal(new TunnelExited(0, false, null), (await EventReader.ReadAllAsync(tunnel.Events)).Single());
        await fake.WaitForEventAsync("logout");
        Assert.DoesNotContain(cookie, logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuthCookie(cookie), logger.AllText(), StringComparison.Ordinal);
    }

    [RealOpenConnectFact]
    public async Task Gateway_refusing_the_tunnel_with_502_ends_with_cookie_rejected()
    {
        await using var fake = await FakePortal.StartAsync("tunnel-502");
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();

        await using var tunnel = await StartScriptTunAsync(fake, cookie, directory);
        var events = await EventReader.ReadAllAsync(tunnel.Events);

        var exited = Assert.IsType<TunnelExited>(Assert.Single(events));
        Assert.Equal(2, exited.ExitCode);
        Assert.True(exited.CookieRejected);
        Assert.NotNull(exited.LastError);
    }

    [RealOpenConnectFact]
    public async Task Dropped_tunnel_is_reported_as_reconnecting_and_then_up_again()
    {
        await using var fake = await FakePortal.StartAsync("drop-tunnel");
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();

        await using var tunnel = await StartScriptTunAsync(fake, cookie, directory);
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await EventReader.ReadUntilAsync<TunnelReconnecting>(tunnel.Events);
        var (again, _) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        Assert.Equal("10.99.0.2", again.Info.Ipv4);
    }

    [RealOpenConnectFact]
    public async Task A_requested_reconnect_opens_a_new_tunnel_with_the_same_cookie_in_the_same_process()
    {
        await using var fake = await FakePortal.StartAsync();
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();

        await using var tunnel = await StartScriptTunAsync(fake, cookie, directory);
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        await fake.WaitForEventAsync("tunnel-connect");

        Assert.True(tunnel.RequestReconnect());
        var (again, _) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        string closed = await fake.WaitForEventAsync("tunnel-closed");
        string second = await fake.WaitForEventAsync("tunnel-connect", occurrence: 2);

        Assert.Equal("10.99.0.2", again.Info.Ipv4);
        Assert.Contains("reason=client-closed", closed);
        Assert.Contains("user=test", second); // the same session: no new login, the cookie still good
        Assert.Equal(1, fake.Count("gateway-login"));
        Assert.False(tunnel.Exited.IsCompleted); // the same openconnect
    }

    [RealOpenConnectFact]
    public async Task Packet_handler_does_not_outlive_openconnect_killed_with_sigkill()
    {
        await using var fake = await FakePortal.StartAsync();
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();
        await using var tunnel = await StartScriptTunAsync(fake, cookie, directory);
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
        var handlers = ChildrenOf(tunnel.ProcessId);
        Assert.NotEmpty(handlers);

        Assert.Equal(0, LibC.kill(tunnel.ProcessId, LibC.SIGKILL));
        Assert.Equal(137, await tunnel.Exited);

        using var timeout = new CancellationTokenSource(EventReader.Patience);
        while (handlers.Any(IsAlive))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [RealOpenConnectFact(needsTunDevice: true)]
    public async Task Tun_device_exists_while_up_and_is_gone_after_stop()
    {
        await using var fake = await FakePortal.StartAsync();
        var cookie = await fake.AuthenticateAsync();
        using var directory = new TempDirectory();
        var reasons = directory.Combine("reasons");
        var vpncScript = directory.Combine("vpnc-script");
        // Records the calls instead of touching the host's routes and DNS.
        await File.WriteAllTextAsync(vpncScript, $"#!/bin/sh\necho \"$reason $TUNDEV\" >> '{reasons}'\n");
        File.SetUnixFileMode(vpncScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var name = "gpt" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
        var supervisor = new OpenConnectSupervisor(
            new OpenConnectOptions { Interface = name, VpncScript = vpncScript, RuntimeDirectory = directory.Combine("run") },
            new RecordingLogger<OpenConnectSupervisor>());

        await using var tunnel = await supervisor.StartAsync(
            new TunnelStartInfo(fake.Address, cookie, fake.Pin, null), EventReader.Deadline());
        var (up, _) = await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);

        Assert.Equal(name, up.Info.Interface);
        Assert.Equal("10.99.0.2", up.Info.Ipv4);
        Assert.True(Directory.Exists($"/sys/class/net/{name}"));
        Assert.NotNull(InterfaceStatistics.Read(name));

        await tunnel.StopAsync(EventReader.Deadline());

        Assert.Equal(0, await tunnel.Exited);
        Assert.False(Directory.Exists($"/sys/class/net/{name}"));
        Assert.Null(InterfaceStatistics.Read(name));
        Assert.Equal([$"pre-init {name}", $"connect {name}", $"disconnect {name}"], await File.ReadAllLinesAsync(reasons));
        await fake.WaitForEventAsync("logout");
    }

    /// <summary>Starts openconnect through the supervisor with a script tun (no tun device) against the fake gateway.</summary>
    private static Task<OpenConnectTunnel> StartScriptTunAsync(
        FakePortal fake, string cookie, TempDirectory directory, RecordingLogger<OpenConnectSupervisor>? logger = null)
    {
        var supervisor = new OpenConnectSupervisor(
            new OpenConnectOptions { ScriptTun = true, RuntimeDirectory = directory.Combine("run") },
            logger ?? new RecordingLogger<OpenConnectSupervisor>());
        return supervisor.StartAsync(new TunnelStartInfo(fake.Address, cookie, fake.Pin, null), EventReader.Deadline());
    }

    private static string AuthCookie(string cookie) =>
        cookie.Split('&').Single(p => p.StartsWith("authcookie=", StringComparison.Ordinal))["authcookie=".Length..];

    private static List<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!, CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parent)
            .ToList();

    private static int? ParentOf(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var state = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart()[0];
            return state != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
