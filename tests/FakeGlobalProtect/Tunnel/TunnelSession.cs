using System.Globalization;
using FakeGlobalProtect.Events;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Server;

namespace FakeGlobalProtect.Tunnel;

/// <summary>
/// The gateway side of one SSL tunnel: answers START_TUNNEL, sends one ICMP echo request to the client,
/// then reads frames, echoes keepalives and answers pings. Every frame goes out in one write, because
/// openconnect expects one frame per TLS record.
/// </summary>
public sealed class TunnelSession(
    BufferedStreamReader reader,
    VpnSession session,
    System.Net.IPAddress gatewaySide,
    IEventSink events,
    TimeSpan? dropAfter)
{
    public static ReadOnlyMemory<byte> StartTunnel { get; } = "START_TUNNEL"u8.ToArray();
    public static ReadOnlyMemory<byte> ProbePayload { get; } = "fake-globalprotect"u8.ToArray();

    private readonly Stream _stream = reader.Stream;

    /// <summary>Runs until the client closes, the drop timer fires or <paramref name="cancellationToken"/> ends; returns why.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        // Exactly these 12 bytes, alone: no status line, no CRLF.
        await WriteAsync(StartTunnel, cancellationToken).ConfigureAwait(false);
        Emit("tunnel-connect", ("user", session.User), ("ip", session.Ip), ("gateway", session.GatewayDescription));

        var probe = IpPacket.IcmpEcho(gatewaySide, System.Net.IPAddress.Parse(session.Ip), IpPacket.IcmpEchoRequest, 0x4750, 1, ProbePayload.Span);
        await SendPacketAsync(probe, cancellationToken).ConfigureAwait(false);

        using var drop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (dropAfter is { } delay)
        {
            drop.CancelAfter(delay);
        }

        string reason;
        try
        {
            reason = await ReceiveLoopAsync(drop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (drop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            reason = "dropped";
        }
        catch (OperationCanceledException)
        {
            reason = "shutdown";
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            reason = "connection-lost";
        }
        Emit("tunnel-closed", ("user", session.User), ("reason", reason));
        return reason;
    }

    private async Task<string> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var header = new byte[TunnelFrame.HeaderLength];
        while (true)
        {
            if (!await reader.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false))
            {
                return "client-closed";
            }

            if (!TunnelFrame.TryReadHeader(header, out var etherType, out var length))
            {
                Emit("http-error", ("reason", "bad-frame"), ("user", session.User));
                return "bad-frame";
            }
            var payload = new byte[length];
            if (length > 0 && !await reader.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false))
            {
                throw new EndOfStreamException("tunnel closed inside a frame");
            }

            if (etherType == TunnelFrame.EtherTypeKeepalive)
            {
                Emit("keepalive", ("user", session.User));
                await WriteAsync((byte[])header.Clone(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            Emit("packet", Describe(etherType, payload));
            if (etherType == TunnelFrame.EtherTypeIpv4 && IpPacket.EchoReplyFor(payload) is { } reply)
            {
                await SendPacketAsync(reply, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendPacketAsync(byte[] packet, CancellationToken cancellationToken)
    {
        // Recorded first: a client may read the packet and look for the event before this method returns.
        Emit("packet-sent", Describe(TunnelFrame.EtherTypeIpv4, packet));
        await WriteAsync(TunnelFrame.Encode(TunnelFrame.EtherTypeIpv4, packet), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static (string, string)[] Describe(ushort etherType, byte[] payload)
    {
        var properties = new List<(string, string)>
        {
            ("ethertype", etherType.ToString("x4", CultureInfo.InvariantCulture)),
            ("len", payload.Length.ToString(CultureInfo.InvariantCulture)),
        };
        if (IpPacket.TryDescribe(payload) is { } summary)
        {
            properties.Add(("src", summary.Source.ToString()));
            properties.Add(("dst", summary.Destination.ToString()));
            properties.Add(("proto", summary.ProtocolName));
        }
        return [.. properties];
    }

    private void Emit(string name, params (string Key, string Value)[] properties) =>
        events.Emit(new FakeEvent(name, properties));
}
