using System.Globalization;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.Supervisor;

/// <summary>openconnect started before its cookie is ready: the cookie follows the work done meanwhile, or never.</summary>
public sealed class StartWhileStartingTests
{
    private static readonly TunnelStartInfo Start = new("gw.example.com:443", StandInSetup.Cookie, "pin-sha256:AAAA", null);

    [Fact]
    public async Task The_cookie_reaches_openconnect_only_after_the_work_done_while_it_starts()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        string? stdinWhileWorking = "not run";
        var tunnel = await setup.Supervisor.StartAsync(Start, async ct =>
        {
            // openconnect runs (it recorded its pid) and waits for its cookie.
            await setup.StandIn.WaitForRecordAsync("pid");
            stdinWhileWorking = setup.StandIn.ReadRecord("stdin");
        }, EventReader.Deadline());
        await using var _ = tunnel;

        Assert.Null(stdinWhileWorking);
        Assert.Equal(StandInSetup.Cookie, await setup.StandIn.WaitForRecordAsync("stdin"));
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture), (await setup.StandIn.WaitForRecordAsync("pid")).Trim());
        await EventReader.ReadUntilAsync<TunnelUp>(tunnel.Events);
    }

    [Fact]
    public async Task A_failure_while_it_starts_ends_openconnect_before_it_had_a_cookie()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => setup.Supervisor.StartAsync(Start, async ct =>
        {
            await setup.StandIn.WaitForRecordAsync("pid");
            throw new InvalidOperationException("login failed");
        }, EventReader.Deadline()));

        Assert.Equal("login failed", error.Message);
        await AssertEndedWithoutCookieAsync(setup);
    }

    [Fact]
    public async Task Cancelling_while_it_starts_ends_openconnect_before_it_had_a_cookie()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        using var cancel = new CancellationTokenSource();
        var start = setup.Supervisor.StartAsync(Start, async ct =>
        {
            await setup.StandIn.WaitForRecordAsync("pid");
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        await AssertEndedWithoutCookieAsync(setup);
    }

    private static async Task AssertEndedWithoutCookieAsync(StandInSetup setup)
    {
        int pid = int.Parse((await setup.StandIn.WaitForRecordAsync("pid")).Trim(), CultureInfo.InvariantCulture);
        // Reaped before StartAsync returned: no process, no pid file, no script run, no cookie.
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.False(File.Exists(setup.PidFile));
        Assert.Empty(setup.VpncReasons);
        Assert.Equal("", setup.StandIn.ReadRecord("stdin") ?? "");
    }
}
