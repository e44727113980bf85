using System.Text;
using GpControl;
using GpDaemon.TestSupport;

namespace Integration.Tests.Control;

/// <summary>Garbage on the control socket gets an error or a closed connection; the daemon keeps serving everyone else.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync() =>
        _daemon = await DaemonProcess.StartReadyAsync(_dir.Path, """
            [control]
            idle_timeout = 2
            max_message_bytes = 65536
            """);

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _dir.Dispose();
    }

    private async Task AssertANormalClientIsServed()
    {
        VpnStatus status = await _daemon.StatusAsync();
        Assert.Equal("Disconnected", status.State);
        Assert.Equal(_daemon.Pid, status.DaemonPid);
    }

    [Fact]
    public async Task RandomBytes_CloseTheConnection()
    {
        var random = new Random(1234);
        for (int i = 0; i < 20; i++)
        {
            byte[] junk = new byte[random.Next(1, 4096)];
            random.NextBytes(junk);
            junk[^1] = 0;
            using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
            await client.SendRawAsync(junk);
            Assert.Null(await client.ReceiveAsync());
        }
        await AssertANormalClientIsServed();
    }

    [Fact]
    public async Task OneMebibyteWithoutANul_ClosesTheConnection()
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        Task send = client.SendRawAsync(Encoding.ASCII.GetBytes(new string('{', 1024 * 1024)));
        Assert.Null(await client.ReceiveAsync());
        await send;
        await AssertANormalClientIsServed();
    }

    [Theory]
    [InlineData("{\"method\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"parameters\": {}}")]
    [InlineData("{\"method\": 42}")]
    public async Task InvalidJsonOrNotACall_ClosesTheConnection(string message)
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync(message);
        Assert.Null(await client.ReceiveAsync());
        await AssertANormalClientIsServed();
    }

    [Fact]
    public async Task DeeplyNestedJson_ClosesTheConnection()
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        string deep = "{\"method\":\"io.gpdaemon.Vpn.GetStatus\",\"parameters\":{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}}";
        await client.SendAsync(deep);
        Assert.Null(await client.ReceiveAsync());
        await AssertANormalClientIsServed();
    }

    [Fact]
    public async Task InvalidUtf8_ClosesTheConnection()
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        byte[] call = [.. Encoding.ASCII.GetBytes("{\"method\":\"io.gpdaemon.Vpn.Connect\",\"parameters\":{\"portal\":\""), 0xC3, 0x28, .. Encoding.ASCII.GetBytes("\"}}"), 0];
        await client.SendRawAsync(call);
        Assert.Null(await client.ReceiveAsync());
        await AssertANormalClientIsServed();
    }

    [Theory]
    [InlineData("io.gpdaemon.Vpn.Frobnicate", "org.varlink.service.MethodNotFound")]
    [InlineData("com.example.Other.Method", "org.varlink.service.InterfaceNotFound")]
    public async Task UnknownMethods_GetTheStandardError_AndTheConnectionStaysUsable(string method, string error)
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync($"{{\"method\":\"{method}\"}}");
        string? reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Contains($"\"error\":\"{error}\"", reply);
        await client.SendAsync("{\"method\":\"io.gpdaemon.Vpn.GetStatus\"}");
        Assert.Contains("\"state\":\"Disconnected\"", await client.ReceiveAsync());
    }

    [Theory]
    [InlineData("{\"method\":\"io.gpdaemon.Vpn.Connect\",\"parameters\":{\"portal\":42}}", "portal")]
    [InlineData("{\"method\":\"io.gpdaemon.Vpn.Connect\",\"parameters\":{\"portal\":\"p\",\"user\":[]}}", "user")]
    [InlineData("{\"method\":\"io.gpdaemon.Vpn.SubmitInput\",\"parameters\":{\"id\":true,\"value\":\"x\"}}", "id")]
    [InlineData("{\"method\":\"org.varlink.service.GetInterfaceDescription\",\"parameters\":{}}", "interface")]
    public async Task WrongParameterTypes_GetInvalidParameterNamingIt(string call, string parameter)
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync(call);
        string? reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Contains("\"error\":\"org.varlink.service.InvalidParameter\"", reply);
        Assert.Contains($"\"parameter\":\"{parameter}\"", reply);
        await AssertANormalClientIsServed();
    }

    [Fact]
    public async Task IdleClients_AreClosedAfterTheTimeout_WithoutBlockingOthers()
    {
        var idle = new List<RawClient>();
        for (int i = 0; i < 20; i++)
        {
            idle.Add(await RawClient.ConnectAsync(_daemon.SocketPath));
        }
        // While they sit there, everyone else is served.
        await AssertANormalClientIsServed();
        foreach (RawClient client in idle)
        {
            Assert.Null(await client.ReceiveAsync(TimeSpan.FromSeconds(30)));
            client.Dispose();
        }
        await AssertANormalClientIsServed();
    }

    [Fact]
    public async Task GenericVarlinkIntrospection_Works()
    {
        using RawClient client = await RawClient.ConnectAsync(_daemon.SocketPath);
        await client.SendAsync("{\"method\":\"org.varlink.service.GetInfo\"}");
        string? info = await client.ReceiveAsync();
        Assert.Contains("\"interfaces\":[\"org.varlink.service\",\"io.gpdaemon.Vpn\"]", info);
        await client.SendAsync("{\"method\":\"org.varlink.service.GetInterfaceDescription\",\"parameters\":{\"interface\":\"io.gpdaemon.Vpn\"}}");
        string? description = await client.ReceiveAsync();
        Assert.Contains("interface io.gpdaemon.Vpn", description);
        Assert.Contains("method Connect(", description);
    }
}
