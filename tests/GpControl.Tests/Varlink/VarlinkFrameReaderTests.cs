using System.Text;
using GpControl.Varlink;

namespace GpControl.Tests.Varlink;

public sealed class VarlinkFrameReaderTests
{
    private static readonly string[] Messages =
    [
        """{"method":"io.gpdaemon.Vpn.GetStatus","parameters":{}}""",
        """{"method":"org.varlink.service.GetInfo"}""",
        """{"parameters":{"status":{"state":"Connected"}},"continues":true}""",
    ];

    private static byte[] Frame(params string[] messages) =>
        [.. messages.SelectMany(m => Encoding.UTF8.GetBytes(m).Append((byte)0))];

    private static List<string> Drain(VarlinkFrameReader reader)
    {
        var result = new List<string>();
        while (reader.TryReadMessage(out ReadOnlyMemory<byte> message))
        {
            result.Add(Encoding.UTF8.GetString(message.Span));
        }
        return result;
    }

    [Fact]
    public void Several_messages_in_one_read_come_out_one_by_one_in_order()
    {
        var reader = new VarlinkFrameReader(1024);
        reader.Append(Frame(Messages));

        Assert.Equal(Messages, Drain(reader));
        Assert.Equal(0, reader.Pending);
    }

    [Fact]
    public void Messages_split_at_every_byte_boundary_are_reassembled()
    {
        byte[] stream = Frame(Messages);
        for (int split = 0; split <= stream.Length; split++)
        {
            var reader = new VarlinkFrameReader(1024);
            reader.Append(stream.AsSpan(0, split));
            List<string> got = Drain(reader);
            reader.Append(stream.AsSpan(split));
            got.AddRange(Drain(reader));

            Assert.Equal(Messages, got);
            Assert.Equal(0, reader.Pending);
        }
    }

    [Fact]
    public void Messages_arriving_one_byte_at_a_time_are_reassembled()
    {
        var reader = new VarlinkFrameReader(1024);
        var got = new List<string>();
        foreach (byte b in Frame(Messages))
        {
            reader.Append([b]);
            got.AddRange(Drain(reader));
        }

        Assert.Equal(Messages, got);
    }

    [Fact]
    public void A_long_stream_through_the_receive_buffer_keeps_every_message_intact()
    {
        // Many messages of varying size near the cap, received in odd-sized chunks the way a socket delivers them:
        // exercises sliding a partial message to the front and growing the buffer.
        const int cap = 100;
        var expected = Enumerable.Range(0, 500).Select(i => new string((char)('a' + i % 26), i % (cap + 1))).ToList();
        byte[] stream = Frame([.. expected]);
        var reader = new VarlinkFrameReader(cap);
        var got = new List<string>();
        int offset = 0, chunk = 1;
        while (offset < stream.Length)
        {
            Memory<byte> buffer = reader.GetReceiveBuffer();
            Assert.False(buffer.IsEmpty);
            int n = Math.Min(Math.Min(buffer.Length, chunk), stream.Length - offset);
            stream.AsSpan(offset, n).CopyTo(buffer.Span);
            reader.Advance(n);
            offset += n;
            chunk = chunk % 37 + 3;
            got.AddRange(Drain(reader));
        }

        Assert.Equal(expected, got);
    }

    [Fact]
    public void A_message_of_exactly_the_cap_is_accepted()
    {
        const int cap = 64;
        string message = "\"" + new string('x', cap - 2) + "\"";
        var reader = new VarlinkFrameReader(cap);
        reader.Append(Frame(message));
        List<string> got = Drain(reader);
        reader.Append(Frame("{}"));
        got.AddRange(Drain(reader));

        Assert.Equal([message, "{}"], got);
    }

    [Fact]
    public void A_message_of_exactly_the_cap_is_accepted_when_it_arrives_in_pieces()
    {
        const int cap = 5000; // larger than the initial buffer, so the buffer must grow to exactly fit
        string message = new('y', cap);
        var reader = new VarlinkFrameReader(cap);
        byte[] stream = Frame(message);
        for (int i = 0; i < stream.Length; i += 999)
        {
            reader.Append(stream.AsSpan(i, Math.Min(999, stream.Length - i)));
        }

        Assert.Equal([message], Drain(reader));
    }

    [Fact]
    public void Cap_plus_one_bytes_without_a_nul_is_a_protocol_error()
    {
        const int cap = 64;
        var reader = new VarlinkFrameReader(cap);
        reader.Append(Encoding.ASCII.GetBytes(new string('x', cap)));
        Assert.False(reader.TryReadMessage(out _)); // exactly the cap, still waiting for its NUL

        reader.Append("x"u8);

        Assert.Throws<VarlinkProtocolException>(() => reader.TryReadMessage(out _));
    }

    [Fact]
    public void Cap_plus_one_bytes_followed_by_a_nul_is_a_protocol_error()
    {
        const int cap = 64;
        var reader = new VarlinkFrameReader(cap);
        reader.Append(Frame(new string('x', cap + 1)));

        Assert.Throws<VarlinkProtocolException>(() => reader.TryReadMessage(out _));
    }

    [Fact]
    public void Endless_input_without_a_nul_is_refused_instead_of_buffered()
    {
        var reader = new VarlinkFrameReader(64);

        Assert.Throws<VarlinkProtocolException>(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                reader.Append("0123456789"u8);
                reader.TryReadMessage(out _);
            }
        });
    }

    [Fact]
    public void An_empty_message_is_returned_as_empty()
    {
        var reader = new VarlinkFrameReader(64);
        reader.Append("\0{}\0"u8);

        Assert.True(reader.TryReadMessage(out ReadOnlyMemory<byte> empty));
        Assert.Equal(0, empty.Length);
        Assert.True(reader.TryReadMessage(out ReadOnlyMemory<byte> next));
        Assert.Equal("{}", Encoding.UTF8.GetString(next.Span));
    }

    [Fact]
    public void A_partial_message_is_pending_until_its_nul_arrives()
    {
        var reader = new VarlinkFrameReader(64);
        reader.Append("{\"a\""u8);

        Assert.False(reader.TryReadMessage(out _));
        Assert.Equal(4, reader.Pending);

        reader.Append(":1}\0"u8);

        Assert.True(reader.TryReadMessage(out ReadOnlyMemory<byte> message));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(message.Span));
        Assert.Equal(0, reader.Pending);
    }
}
