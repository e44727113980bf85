using System.Net.Sockets;
using System.Text.Json;
using GpControl.Tests.Support;
using GpControl.Varlink;

namespace GpControl.Tests;

public sealed class VpnClientTests
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static VpnStatus Status(string state, string? ipv4 = null) =>
        new() { State = state, Portal = "vpn.example.com", Ipv4 = ipv4, DaemonPid = 42, Version = "0.1.0" };

    private static byte[] Reply(VpnStatus status, bool continues = false) =>
        VarlinkMessageWriter.Reply(new StatusReply(status), Json.StatusReply, continues);

    [Fact]
    public async Task Get_status_sends_the_call_and_reads_the_status()
    {
        await using var daemon = ScriptedDaemon.Start(_ => [Reply(Status("Connected", "10.1.2.3") with { BytesIn = 99 })]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        VpnStatus status = await client.GetStatusAsync(Timeout);

        Assert.Equal(VpnState.Connected, status.StateValue);
        Assert.Equal("10.1.2.3", status.Ipv4);
        Assert.Equal(99, status.BytesIn);
        Assert.Equal(42, status.DaemonPid);
        Assert.Equal(["""{"method":"io.gpdaemon.Vpn.GetStatus","parameters":{}}"""], daemon.Calls);
    }

    [Fact]
    public async Task An_error_reply_throws_with_the_error_name_and_parameters()
    {
        await using var daemon = ScriptedDaemon.Start(_ =>
            [VarlinkMessageWriter.Error(VpnInterface.AlreadyConnected, new AlreadyConnectedError("vpn.example.com", "Connecting"), Json.AlreadyConnectedError)]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var ex = await Assert.ThrowsAsync<VarlinkErrorException>(async () =>
        {
            await foreach (VpnStatus _ in client.ConnectAsync(new ConnectParameters("vpn.example.com"), follow: false, Timeout))
            {
            }
        });

        Assert.Equal("io.gpdaemon.Vpn.AlreadyConnected", ex.Error);
        Assert.Equal(new AlreadyConnectedError("vpn.example.com", "Connecting"), ex.ParametersAs(Json.AlreadyConnectedError));
        // Parameters of another shape (a daemon of another version) are no record, and no failure.
        Assert.Null(new VarlinkErrorException(VpnInterface.AlreadyConnected, JsonDocument.Parse("""{"portal":5}""").RootElement).ParametersAs(Json.AlreadyConnectedError));
    }

    [Fact]
    public async Task An_error_with_a_message_carries_it_in_the_exception_message()
    {
        await using var daemon = ScriptedDaemon.Start(_ =>
            [VarlinkMessageWriter.Error(VpnInterface.NotConnected, new MessageError("nothing to disconnect"), Json.MessageError)]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var ex = await Assert.ThrowsAsync<VarlinkErrorException>(() => client.DisconnectAsync(Timeout));

        Assert.Equal("io.gpdaemon.Vpn.NotConnected: nothing to disconnect", ex.Message);
    }

    [Fact]
    public async Task A_followed_connect_yields_every_state_and_ends_on_the_reply_without_continues()
    {
        await using var daemon = ScriptedDaemon.Start(call => call.Method == VpnInterface.Connect
            ? [Reply(Status("Authenticating"), continues: true), Reply(Status("Connecting"), continues: true), Reply(Status("Connected", "10.1.2.3"))]
            : [Reply(Status("Disconnected"))]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var states = new List<string>();
        await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters("vpn.example.com"), follow: true, Timeout))
        {
            states.Add(status.State);
        }
        // The connection stays in step: the next call gets its own reply.
        VpnStatus after = await client.GetStatusAsync(Timeout);

        Assert.Equal(["Authenticating", "Connecting", "Connected"], states);
        Assert.Equal("Disconnected", after.State);
        Assert.Contains("\"more\":true", daemon.Calls.First());
    }

    [Fact]
    public async Task A_stream_that_ends_in_an_error_yields_the_states_before_it_then_throws()
    {
        await using var daemon = ScriptedDaemon.Start(_ =>
            [Reply(Status("Authenticating"), continues: true),
             VarlinkMessageWriter.Error(VpnInterface.AuthenticationFailed, new MessageError("wrong password"), Json.MessageError)]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var states = new List<string>();
        var ex = await Assert.ThrowsAsync<VarlinkErrorException>(async () =>
        {
            await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters("vpn.example.com"), follow: true, Timeout))
            {
                states.Add(status.State);
            }
        });

        Assert.Equal(["Authenticating"], states);
        Assert.Equal(VpnInterface.AuthenticationFailed, ex.Error);
        Assert.Equal("wrong password", ex.ParametersAs(Json.MessageError)?.Message);
    }

    [Fact]
    public async Task Connect_without_follow_sends_no_more_flag_and_omits_unset_parameters()
    {
        await using var daemon = ScriptedDaemon.Start(_ => [Reply(Status("Authenticating"))]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var states = new List<string>();
        await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters("vpn.example.com", Password: "pw"), follow: false, Timeout))
        {
            states.Add(status.State);
        }

        Assert.Equal(["Authenticating"], states);
        Assert.Equal(["""{"method":"io.gpdaemon.Vpn.Connect","parameters":{"portal":"vpn.example.com","password":"pw"}}"""], daemon.Calls);
    }

    [Fact]
    public async Task Submit_input_sends_id_and_value()
    {
        await using var daemon = ScriptedDaemon.Start(_ => [VarlinkMessageWriter.Reply(new EmptyParameters(), Json.EmptyParameters)]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        await client.SubmitInputAsync("p1", "123456", Timeout);

        Assert.Equal(["""{"method":"io.gpdaemon.Vpn.SubmitInput","parameters":{"id":"p1","value":"123456"}}"""], daemon.Calls);
    }

    [Fact]
    public async Task Watch_asks_for_more_and_yields_until_cancelled()
    {
        await using var daemon = ScriptedDaemon.Start(_ =>
            [Reply(Status("Disconnected"), continues: true), Reply(Status("Authenticating"), continues: true)]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Timeout);

        var states = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (VpnStatus status in client.WatchAsync(stop.Token))
            {
                states.Add(status.State);
                if (states.Count == 2)
                {
                    await stop.CancelAsync(); // the daemon sends nothing more: only cancellation ends the wait
                }
            }
        });

        Assert.Equal(["Disconnected", "Authenticating"], states);
        Assert.Equal(["""{"method":"io.gpdaemon.Vpn.Watch","parameters":{},"more":true}"""], daemon.Calls);
    }

    [Fact]
    public async Task A_daemon_hanging_up_mid_stream_is_an_io_error()
    {
        await using var daemon = ScriptedDaemon.Start(_ => [Reply(Status("Authenticating"), continues: true), null]);
        await using VpnClient client = await VpnClient.ConnectAsync(daemon.SocketPath, Timeout);

        var states = new List<string>();
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (VpnStatus status in client.ConnectAsync(new ConnectParameters("vpn.example.com"), follow: true, Timeout))
            {
                states.Add(status.State);
            }
        });
        Assert.Equal(["Authenticating"], states);
    }

    [Fact]
    public async Task No_socket_file_is_reported_as_no_daemon()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gpcontrol-missing-{Guid.NewGuid():N}.sock");

        var ex = await Assert.ThrowsAsync<DaemonUnreachableException>(() => VpnClient.ConnectAsync(path, Timeout));

        Assert.Equal(SocketError.AddressNotAvailable, ex.SocketError);
        Assert.Equal(path, ex.SocketPath);
        Assert.Contains("no socket there", ex.Message);
    }

    [Fact]
    public async Task A_socket_file_nobody_listens_on_is_reported_as_refused()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("gpcontrol-test-");
        try
        {
            string path = Path.Combine(directory.FullName, "dead.sock");
            using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                // A closed socket unlinks the file it bound; moving it away first leaves a file like a crashed daemon's.
                dead.Bind(new UnixDomainSocketEndPoint(path + ".bound"));
                File.Move(path + ".bound", path);
            }

            var ex = await Assert.ThrowsAsync<DaemonUnreachableException>(() => VpnClient.ConnectAsync(path, Timeout));

            Assert.Equal(SocketError.ConnectionRefused, ex.SocketError);
            Assert.Contains("no daemon is listening", ex.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_explicit_socket_path_wins()
    {
        Assert.Equal("/tmp/other.sock", ControlDefaults.ResolveSocketPath("/tmp/other.sock"));
    }
}
