using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GpControl;
using GpControl.Varlink;
using GpDaemon.Config;
using GpDaemon.Control;
using GpDaemon.Tests.Support;
using GpDaemon.TestSupport;

namespace GpDaemon.Tests.Control;

public sealed class ControlServerTests
{
    private const string GetStatus = """{"method":"io.gpdaemon.Vpn.GetStatus"}""";
    private const string GetInfo = """{"method":"org.varlink.service.GetInfo"}""";

    private static string StateOf(VarlinkReply reply)
    {
        Assert.Null(reply.Error);
        return reply.Parameters.GetProperty("status").GetProperty("state").GetString()!;
    }

    /// <summary>Proves a well-behaved client on its own connection is still served.</summary>
    private static async Task AssertServedAsync(RawClient client) => Assert.Equal("Disconnected", StateOf(await client.CallAsync(GetStatus)));

    [Fact]
    public async Task Serves_calls_on_a_socket_everyone_may_open()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient client = await server.ConnectAsync();

        VarlinkReply info = await client.CallAsync(GetInfo);

        Assert.Equal("gpdaemon", info.Parameters.GetProperty("product").GetString());
        await AssertServedAsync(client);
        Assert.Equal((UnixFileMode)0x1b6, File.GetUnixFileMode(server.SocketPath) & (UnixFileMode)0x1ff);
    }

    [Fact]
    public async Task A_leftover_file_at_the_socket_path_is_replaced()
    {
        await using ServerHarness first = await ServerHarness.StartAsync();
        await first.Server.StopAsync(Wait.Token());
        await File.WriteAllTextAsync(first.SocketPath, "left behind by a crashed daemon");
        var second = new ControlServer(first.Paths, new ControlSettings(), first.Dispatch.Config, first.Dispatch.Dispatcher, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ControlServer>.Instance);

        await second.StartAsync(Wait.Token());
        try
        {
            await using RawClient client = await RawClient.ConnectAsync(first.SocketPath);
            await AssertServedAsync(client);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Random_bytes_close_that_connection_only()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient good = await server.ConnectAsync();
        await AssertServedAsync(good);
        await using RawClient bad = await server.ConnectAsync();
        byte[] noise = new byte[8192];
        new Random(1234).NextBytes(noise);
        noise[100] = 0; // certainly ends a "message" early

        await bad.SendRawAsync(noise);

        await bad.AssertClosedAsync();
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task A_mebibyte_without_a_nul_closes_that_connection_only()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient good = await server.ConnectAsync();
        await using RawClient bad = await server.ConnectAsync();
        byte[] flood = new byte[1024 * 1024];
        Array.Fill(flood, (byte)' ');

        Task sending = bad.SendRawAsync(flood);

        await bad.AssertClosedAsync();
        await AssertServedAsync(good);
        await Wait.For(sending);
    }

    [Theory]
    [InlineData("""{"method":"io.gpdaemon.Vpn.GetStatus" """)]
    [InlineData("""{"method":5}""")]
    [InlineData("""{"method":"io.gpdaemon.Vpn.GetStatus","more":"please"}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("")]
    public async Task A_malformed_call_closes_that_connection_without_a_reply(string json)
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient good = await server.ConnectAsync();
        await using RawClient bad = await server.ConnectAsync();

        await bad.SendAsync(json);

        await bad.AssertClosedAsync();
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task Invalid_utf8_closes_that_connection_without_a_reply()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient good = await server.ConnectAsync();
        await using RawClient bad = await server.ConnectAsync();

        await bad.SendRawAsync([.. """{"method":"io.gpdaemon.Vpn.Get"""u8, 0xC3, 0x28, .. "\"}\0"u8]);

        await bad.AssertClosedAsync();
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task Unknown_methods_and_wrong_parameters_get_error_replies_and_the_connection_stays_usable()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient client = await server.ConnectAsync();

        VarlinkReply unknown = await client.CallAsync("""{"method":"io.gpdaemon.Vpn.SelfDestruct"}""");
        VarlinkReply wrongType = await client.CallAsync("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":["a"]}}""");

        Assert.Equal(VarlinkService.MethodNotFound, unknown.Error);
        Assert.Equal(VarlinkService.InvalidParameter, wrongType.Error);
        Assert.Equal("portal", wrongType.Parameters.GetProperty("parameter").GetString());
        await AssertServedAsync(client);
    }

    [Fact]
    public async Task An_idle_client_is_closed_after_the_idle_timeout()
    {
        await using ServerHarness server = await ServerHarness.StartAsync(new ControlSettings { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        await using RawClient idle = await server.ConnectAsync();

        await idle.AssertClosedAsync();

        await using RawClient next = await server.ConnectAsync();
        await AssertServedAsync(next);
    }

    [Fact]
    public async Task A_client_idle_after_a_streaming_call_is_closed_after_the_idle_timeout()
    {
        await using ServerHarness server = await ServerHarness.StartAsync(new ControlSettings { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        await using RawClient client = await server.ConnectAsync();
        await client.SendAsync("""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com"},"more":true}""");
        (await server.Dispatch.Backend.NextTunnelAsync()).Up();
        while ((await client.ReadAsync())?.Continues == true)
        {
        }

        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task A_watching_client_is_not_closed_as_idle_while_its_stream_is_open()
    {
        await using ServerHarness server = await ServerHarness.StartAsync(new ControlSettings { IdleTimeout = TimeSpan.FromMilliseconds(100) });
        server.Dispatch.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await using RawClient watcher = await server.ConnectAsync();
        await watcher.SendAsync("""{"method":"io.gpdaemon.Vpn.Watch","more":true}""");
        Assert.Equal("Disconnected", StateOf((await watcher.ReadAsync())!));

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // several idle timeouts pass with nothing to say
        server.Dispatch.Controller.Connect(Controllers.Request(), 0);

        VarlinkReply? change = await watcher.ReadAsync();
        Assert.NotNull(change);
        Assert.Equal("Authenticating", StateOf(change));
    }

    [Fact]
    public async Task Connections_beyond_the_maximum_wait_and_are_served_when_a_slot_frees()
    {
        // The tests run as root, which may also use the reserve: 2 + 8 slots.
        await using ServerHarness server = await ServerHarness.StartAsync(new ControlSettings { MaxConnections = 2, IdleTimeout = TimeSpan.FromMinutes(5) });
        var open = new List<RawClient>();
        try
        {
            for (int i = 0; i < 2 + ConnectionLimits.DefaultReserve; i++)
            {
                RawClient client = await server.ConnectAsync();
                open.Add(client);
                await AssertServedAsync(client);
            }

            // One more waits (its call sits in the socket) instead of being closed ...
            await using RawClient waiting = await server.ConnectAsync();
            await waiting.SendAsync(GetStatus);

            // ... and is answered once a slot is free.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            Assert.Equal("Disconnected", StateOf((await waiting.ReadAsync())!));
            await AssertServedAsync(open[^1]);
        }
        finally
        {
            foreach (RawClient client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_watch_client_that_hangs_up_mid_stream_is_cleaned_up()
    {
        await using ServerHarness server = await ServerHarness.StartAsync(new ControlSettings { MaxConnections = 1, IdleTimeout = TimeSpan.FromMinutes(5) });
        server.Dispatch.Backend.OnLogin = FakeBackend.BlocksUntilCancelled;
        await using (RawClient watcher = await server.ConnectAsync())
        {
            await watcher.SendAsync("""{"method":"io.gpdaemon.Vpn.Watch","more":true}""");
            Assert.True((await watcher.ReadAsync())!.Continues);
        }

        // Its slot (the only one) comes free, and state changes still flow to whoever watches next.
        await using RawClient next = await ConnectWhenServedAsync(server);
        await next.SendAsync("""{"method":"io.gpdaemon.Vpn.Watch","more":true}""");
        Assert.Equal("Disconnected", StateOf((await next.ReadAsync())!));
        server.Dispatch.Controller.Connect(Controllers.Request(), 0);
        Assert.Equal("Authenticating", StateOf((await next.ReadAsync())!));
    }

    [Fact]
    public async Task Pipelined_calls_are_answered_in_order()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient client = await server.ConnectAsync();

        await client.SendRawAsync(Encoding.UTF8.GetBytes(string.Concat(
            GetInfo + "\0",
            GetStatus + "\0",
            """{"method":"io.gpdaemon.Vpn.Nope"}""" + "\0",
            """{"method":"io.gpdaemon.Vpn.GetStatus","oneway":true}""" + "\0",
            """{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"io.gpdaemon.Vpn"}}""" + "\0")));

        Assert.Equal("gpdaemon", (await client.ReadAsync())!.Parameters.GetProperty("product").GetString());
        Assert.Equal("Disconnected", StateOf((await client.ReadAsync())!));
        Assert.Equal(VarlinkService.MethodNotFound, (await client.ReadAsync())!.Error);
        // The oneway call got no reply: next is the description.
        Assert.StartsWith("# The gpdaemon VPN connection", (await client.ReadAsync())!.Parameters.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_call_pipelined_behind_a_stream_is_answered_after_it()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        await using RawClient client = await server.ConnectAsync();

        await client.SendRawAsync(Encoding.UTF8.GetBytes(
            """{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com"},"more":true}""" + "\0" + GetInfo + "\0"));
        (await server.Dispatch.Backend.NextTunnelAsync()).Up();

        var stream = new List<VarlinkReply>();
        VarlinkReply reply;
        do
        {
            reply = (await client.ReadAsync())!;
            stream.Add(reply);
        }
        while (reply.Continues);
        VarlinkReply info = (await client.ReadAsync())!;

        Assert.Equal("Connected", StateOf(stream[^1]));
        Assert.Equal("gpdaemon", info.Parameters.GetProperty("product").GetString());
    }

    [Fact]
    public async Task Stopping_closes_open_connections_and_removes_the_socket()
    {
        ServerHarness server = await ServerHarness.StartAsync();
        try
        {
            await using RawClient watcher = await server.ConnectAsync();
            await watcher.SendAsync("""{"method":"io.gpdaemon.Vpn.Watch","more":true}""");
            await watcher.ReadAsync();

            await server.Server.StopAsync(Wait.Token());

            await watcher.AssertClosedAsync();
            Assert.False(File.Exists(server.SocketPath));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_peers_credentials_come_from_the_kernel()
    {
        await using ServerHarness server = await ServerHarness.StartAsync();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string path = Path.Combine(server.Directory, "peer.sock");
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), Wait.Token());
        using Socket accepted = await listener.AcceptAsync(Wait.Token());

        PeerCredentials? peer = PeerCredentials.TryRead(accepted);

        Assert.NotNull(peer);
        Assert.Equal(Environment.ProcessId, peer.Pid);
        Assert.Equal((uint)Tmds.Linux.LibC.geteuid(), peer.Uid);
        Assert.Equal((uint)Tmds.Linux.LibC.getegid(), peer.Gid);
    }

    [Fact]
    public async Task An_unprivileged_peer_on_the_real_socket_may_read_but_not_disconnect()
    {
        Assert.True(File.Exists("/usr/bin/socat") && File.Exists("/usr/bin/setpriv"), "this test needs socat and setpriv (util-linux)");
        await using ServerHarness server = await ServerHarness.StartAsync();
        File.SetUnixFileMode(server.Directory, (UnixFileMode)0x1ed); // 0755: let nobody reach the socket
        File.SetUnixFileMode(Path.GetDirectoryName(server.SocketPath)!, (UnixFileMode)0x1ed);

        string[] replies = await RunAsNobodyAsync(server.SocketPath, GetStatus + "\0" + """{"method":"io.gpdaemon.Vpn.Disconnect"}""" + "\0");

        Assert.Equal(2, replies.Length);
        Assert.Equal("Disconnected", StateOf(VarlinkReply.Parse(Encoding.UTF8.GetBytes(replies[0]))));
        VarlinkReply denied = VarlinkReply.Parse(Encoding.UTF8.GetBytes(replies[1]));
        Assert.Equal(VpnInterface.PermissionDenied, denied.Error);
        Assert.Equal("disconnect", denied.Parameters.GetProperty("action").GetString());
    }

    /// <summary>Sends the calls from a process running as nobody (uid 65534) and returns the replies it read.</summary>
    private static async Task<string[]> RunAsNobodyAsync(string socketPath, string calls)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/socat", "-t", "10", "-", $"UNIX-CONNECT:{socketPath}" })
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(calls));
        process.StandardInput.Close();
        var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(Wait.Token());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        await copy;
        Assert.True(process.ExitCode == 0, $"socat failed: {await errors}");
        return Encoding.UTF8.GetString(output.ToArray()).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Connects until the server has a free slot again (it frees one once it noticed a client left).</summary>
    private static async Task<RawClient> ConnectWhenServedAsync(ServerHarness server)
    {
        using CancellationTokenSource limit = new(Wait.Limit);
        while (true)
        {
            RawClient client = await server.ConnectAsync();
            await client.SendAsync(GetStatus);
            if (await client.ReadAsync() is not null)
            {
                return client;
            }
            await client.DisposeAsync();
            limit.Token.ThrowIfCancellationRequested();
            await Task.Delay(20, limit.Token);
        }
    }
}
