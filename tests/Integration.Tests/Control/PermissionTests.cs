using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>Everyone may look; only root and the control group may change the connection (SO_PEERCRED, real users).</summary>
public sealed class PermissionTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        await TestUsers.EnsureAsync();
        _daemon = await DaemonProcess.StartReadyAsync(_dir.Path, $"control_group = \"{TestUsers.ControlGroup}\"\n");
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task AUserOutsideTheGroup_CanReadTheStatus()
    {
        ProcessResult status = await TestUsers.GpctlAsAsync(TestUsers.Outsider, _daemon.SocketPath, "status");
        Assert.True(status.ExitCode == 1, status.ToString()); // 1 = answered, not connected
        Assert.Contains("Disconnected", status.Stdout);
    }

    [Fact]
    public async Task AUserOutsideTheGroup_MayNotConnectOrDisconnect_AndIsToldWhichGroupToJoin()
    {
        ProcessResult connect = await TestUsers.GpctlAsAsync(TestUsers.Outsider, _daemon.SocketPath, "connect", "vpn.example.com", "--no-wait");
        Assert.True(connect.ExitCode == 77, connect.ToString());
        Assert.Contains("permission denied", connect.Stderr);
        Assert.Contains($"usermod -aG {TestUsers.ControlGroup}", connect.Stderr);

        ProcessResult disconnect = await TestUsers.GpctlAsAsync(TestUsers.Outsider, _daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 77, disconnect.ToString());

        Assert.Equal("Disconnected", (await _daemon.StatusAsync()).State);
    }

    [Fact]
    public async Task AMemberOfTheGroup_MayConnectAndDisconnect()
    {
        // A closed port: the attempt starts (permission granted) and fails; the member then clears it.
        ProcessResult connect = await TestUsers.GpctlAsAsync(TestUsers.Member, _daemon.SocketPath, "connect", "127.0.0.1:1", "--no-wait");
        Assert.True(connect.ExitCode == 0, connect.ToString());
        await _daemon.WaitForStatusAsync(s => s.State == "Failed");
        ProcessResult disconnect = await TestUsers.GpctlAsAsync(TestUsers.Member, _daemon.SocketPath, "disconnect");
        Assert.True(disconnect.ExitCode == 0, disconnect.ToString());
        Assert.Equal("Disconnected", (await _daemon.StatusAsync()).State);
    }
}
