using System.Net.Sockets;
using System.Text;
using GpControl;
using Reliability.Tests.Support;

namespace Reliability.Tests.ControlSocket;

/// <summary>Calls the fuzzer found mishandled, each on its own so that it says precisely what is expected.</summary>
public sealed class CallEdgeCaseTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("gpd-edge");
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync() =>
        _daemon = await DaemonProcess.StartReadyAsync(_dir.Path, $"""
            portal = "{VarlinkFuzzer.SafePortal}"

            [control]
            idle_timeout = 5
            """);

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("io.gpdaemon.Vpn.GetSt\\ud800atus")]
    [InlineData("io.gpdaemon.Vpn.GetStatus\\udc00")]
    public async Task ALoneSurrogateEscapeInTheMethod_ClosesTheConnection_AndOthersAreServed(string method)
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync($"{{\"method\":\"{method}\"}}");
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(_daemon.Pid, (await _daemon.StatusAsync()).DaemonPid);
    }

    [Theory]
    [InlineData("{\"method\":\"org.varlink.service.GetInterfaceDescription\",\"parameters\":{\"interface\":\"\\udc00\"}}", "interface")]
    [InlineData("{\"method\":\"io.gpdaemon.Vpn.SubmitInput\",\"parameters\":{\"id\":\"\\ud800\",\"value\":\"1\"}}", "id")]
    [InlineData("{\"method\":\"io.gpdaemon.Vpn.Connect\",\"parameters\":{\"portal\":\"\\ud800\"}}", "portal")]
    public async Task ALoneSurrogateEscapeInAParameter_IsInvalidParameterNamingIt(string call, string parameter)
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync(call);
        string? reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Contains("\"error\":\"org.varlink.service.InvalidParameter\"", reply);
        Assert.Contains($"\"parameter\":\"{parameter}\"", reply);
    }

    [Fact]
    public async Task AHugeUserName_IsRefused_OrTheStatusStaysReadable()
    {
        // The call fits the 64 KiB cap; a status that carries the name does not.
        string user = new('u', ControlDefaults.MaxMessageBytes - 120);
        await using (VpnClient client = await _daemon.ClientAsync())
        {
            try
            {
                await foreach (VpnStatus _ in client.ConnectAsync(new ConnectParameters(VarlinkFuzzer.SafePortal, user), follow: false, Deadline.Token()))
                {
                }
            }
            catch (VarlinkErrorException ex) when (ex.Error == VarlinkService.InvalidParameter)
            {
                // Refusing it is one right answer.
            }
        }
        // Whatever happened, every client can still read the status.
        VpnStatus status = await _daemon.StatusAsync();
        Assert.Equal(_daemon.Pid, status.DaemonPid);
    }

    [Fact]
    public async Task ADisconnectFromAClientThatShutsDownItsSendingSide_IsStillAnswered()
    {
        // A login that waits on a portal that never answers: stopping it takes a moment.
        await using FakePortal hanging = await FakePortal.StartAsync("hang");
        using var dir = new TempDirectory("gpd-edge");
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, hanging.Config());
        await using (VpnClient client = await daemon.ClientAsync())
        {
            await foreach (VpnStatus _ in client.ConnectAsync(new ConnectParameters(hanging.Address, "test", "secret"), follow: false, Deadline.Token()))
            {
            }
        }
        await hanging.WaitForEventAsync("prelogin");

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.SocketPath), Deadline.Token());
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"method\":\"io.gpdaemon.Vpn.Disconnect\"}\0"), SocketFlags.None, Deadline.Token());
        // As `printf ... | socat - UNIX-CONNECT:...` does: end of input, then wait for the answer.
        socket.Shutdown(SocketShutdown.Send);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        byte[] buffer = new byte[4096];
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
        Assert.True(n > 0, "the connection was closed without a reply");
        Assert.Contains("\"state\":\"Disconnected\"", Encoding.UTF8.GetString(buffer, 0, n));
    }
}
