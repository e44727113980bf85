using System.Text;
using System.Text.Json;
using GpControl.Varlink;

namespace GpControl.Tests.Varlink;

public sealed class VarlinkMessageWriterTests
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    private static readonly VpnStatus Connected = new()
    {
        State = "Connected",
        Portal = "vpn.example.com",
        Gateway = new Gateway("US East", "gw1.example.com", 1),
        User = "alice",
        Ipv4 = "10.1.2.3",
        Dns = ["10.0.0.53"],
        Routes = ["10.0.0.0/8"],
        ConnectedSince = "2025-01-02T03:04:05Z",
        BytesIn = 1234,
        OpenconnectPid = 4321,
        DaemonPid = 77,
        Version = "0.1.0",
    };

    /// <summary>Checks the framing and returns the message without its terminator.</summary>
    private static ReadOnlyMemory<byte> Unframe(byte[] message)
    {
        Assert.Equal(0, message[^1]);
        Assert.Equal(message.Length - 1, Array.IndexOf(message, (byte)0)); // the only NUL is the terminator
        return message.AsMemory(0, message.Length - 1);
    }

    [Fact]
    public void A_reply_round_trips_with_snake_case_names_and_without_nulls()
    {
        byte[] message = VarlinkMessageWriter.Reply(new StatusReply(Connected), Json.StatusReply);

        VarlinkReply reply = VarlinkReply.Parse(Unframe(message));

        Assert.Null(reply.Error);
        Assert.False(reply.Continues);
        JsonElement status = reply.Parameters.GetProperty("status");
        Assert.Equal("Connected", status.GetProperty("state").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", status.GetProperty("connected_since").GetString());
        Assert.Equal(4321, status.GetProperty("openconnect_pid").GetInt32());
        Assert.Equal(1234, status.GetProperty("bytes_in").GetInt64());
        Assert.Equal(77, status.GetProperty("daemon_pid").GetInt32());
        Assert.Equal("gw1.example.com", status.GetProperty("gateway").GetProperty("address").GetString());
        Assert.False(status.TryGetProperty("bytes_out", out _));
        Assert.False(status.TryGetProperty("ipv6", out _));
        Assert.False(status.TryGetProperty("prompt", out _));
        Assert.False(status.TryGetProperty("message", out _));
        Assert.False(status.TryGetProperty("state_value", out _)); // derived, not on the wire
        VpnStatus back = reply.Parameters.Deserialize(Json.StatusReply)!.Status;
        Assert.Equal(JsonSerializer.Serialize(Connected, Json.VpnStatus), JsonSerializer.Serialize(back, Json.VpnStatus));
        Assert.Equal(["10.0.0.53"], back.Dns!);
    }

    [Fact]
    public void A_continued_reply_says_so()
    {
        VarlinkReply reply = VarlinkReply.Parse(Unframe(VarlinkMessageWriter.Reply(new StatusReply(Connected), Json.StatusReply, continues: true)));

        Assert.True(reply.Continues);
    }

    [Fact]
    public void An_error_round_trips_with_its_name_and_parameters()
    {
        byte[] message = VarlinkMessageWriter.Error(VpnInterface.AlreadyConnected,
            new AlreadyConnectedError("vpn.example.com", "Connected"), Json.AlreadyConnectedError);

        VarlinkReply reply = VarlinkReply.Parse(Unframe(message));

        Assert.Equal("io.gpdaemon.Vpn.AlreadyConnected", reply.Error);
        Assert.Equal("vpn.example.com", reply.Parameters.GetProperty("portal").GetString());
        Assert.Equal("Connected", reply.Parameters.GetProperty("state").GetString());
        Assert.False(reply.Continues);
    }

    [Fact]
    public void An_error_with_an_optional_null_parameter_omits_it()
    {
        byte[] message = VarlinkMessageWriter.Error(VpnInterface.PermissionDenied, new PermissionDeniedError("connect"), Json.PermissionDeniedError);

        VarlinkReply reply = VarlinkReply.Parse(Unframe(message));

        Assert.Equal("""{"action":"connect"}""", reply.Parameters.GetRawText());
    }

    [Fact]
    public void A_call_round_trips_through_the_server_side_parser()
    {
        byte[] message = VarlinkMessageWriter.Call(VpnInterface.Connect,
            new ConnectParameters("vpn.example.com", User: "alice"), Json.ConnectParameters, more: true);

        VarlinkCall call = VarlinkCall.Parse(Unframe(message));

        Assert.Equal("io.gpdaemon.Vpn.Connect", call.Method);
        Assert.True(call.More);
        Assert.Equal("""{"portal":"vpn.example.com","user":"alice"}""", call.Parameters.GetRawText());
    }

    [Fact]
    public void A_call_without_more_does_not_send_the_flag()
    {
        byte[] message = VarlinkMessageWriter.Call(VpnInterface.GetStatus, new EmptyParameters(), Json.EmptyParameters);

        Assert.Equal("""{"method":"io.gpdaemon.Vpn.GetStatus","parameters":{}}""", Encoding.UTF8.GetString(Unframe(message).Span));
    }

    [Fact]
    public void A_nul_inside_a_string_is_escaped_so_it_cannot_end_the_frame()
    {
        byte[] message = VarlinkMessageWriter.Reply(new MessageError("before\0after"), Json.MessageError);

        VarlinkReply reply = VarlinkReply.Parse(Unframe(message));

        Assert.Equal("before\0after", reply.Parameters.GetProperty("message").GetString());
    }

    [Fact]
    public void A_reply_that_is_not_an_object_or_not_json_is_a_protocol_error()
    {
        Assert.Throws<VarlinkProtocolException>(() => VarlinkReply.Parse("[1]"u8.ToArray()));
        Assert.Throws<VarlinkProtocolException>(() => VarlinkReply.Parse("{\"parameters\":"u8.ToArray()));
    }

    [Fact]
    public void A_reply_with_invalid_utf8_is_a_protocol_error()
    {
        byte[] message = [.. """{"parameters":{"message":"""u8, (byte)'"', 0xFF, (byte)'"', (byte)'}', (byte)'}'];

        Assert.Throws<VarlinkProtocolException>(() => VarlinkReply.Parse(message));
    }

    [Fact]
    public void A_reply_without_parameters_has_an_empty_object()
    {
        VarlinkReply reply = VarlinkReply.Parse("""{"error":"io.gpdaemon.Vpn.NotConnected"}"""u8.ToArray());

        Assert.Equal("io.gpdaemon.Vpn.NotConnected", reply.Error);
        Assert.Equal(JsonValueKind.Object, reply.Parameters.ValueKind);
    }
}
