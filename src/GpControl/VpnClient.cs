using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GpControl.Varlink;

namespace GpControl;

/// <summary>A client of the io.gpdaemon.Vpn interface over one connection. Calls on one client are sequential.</summary>
public sealed class VpnClient : IAsyncDisposable
{
    // What VarlinkMessageWriter.Call writes for GetStatus, spelled out: `gpctl status` makes this one call per process,
    // and serializing it would first build the serializer's metadata for EmptyParameters (a twentieth of the command).
    private static readonly byte[] GetStatusCall = "{\"method\":\"io.gpdaemon.Vpn.GetStatus\",\"parameters\":{}}\0"u8.ToArray();

    /// <summary>The GetStatus call as written on the wire, NUL included.</summary>
    public static ReadOnlySpan<byte> GetStatusMessage => GetStatusCall;

    private readonly VarlinkConnection _connection;

    public VpnClient(Stream stream)
    {
        _connection = new VarlinkConnection(stream);
    }

    public static async Task<VpnClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw DaemonUnreachableException.From(socketPath, ex);
        }
        return new VpnClient(new NetworkStream(socket, ownsSocket: true));
    }

    public async Task<VpnStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        VarlinkReply reply = await CallOnceAsync(GetStatusCall, cancellationToken).ConfigureAwait(false);
        return ReadStatus(reply);
    }

    public async Task<VpnStatus> DisconnectAsync(CancellationToken cancellationToken)
    {
        VarlinkReply reply = await CallOnceAsync(VpnInterface.Disconnect, new EmptyParameters(), ControlJsonContext.Default.EmptyParameters, cancellationToken).ConfigureAwait(false);
        return ReadStatus(reply);
    }

    /// <summary>Disconnects (if connected) and removes the caller's saved session for the portal (null: the connection's, else the configured one).</summary>
    public async Task<DisconnectReply> DisconnectAndForgetAsync(string? portal, CancellationToken cancellationToken)
    {
        VarlinkReply reply = await CallOnceAsync(VpnInterface.Disconnect, new DisconnectParameters(Forget: true, portal), ControlJsonContext.Default.DisconnectParameters, cancellationToken).ConfigureAwait(false);
        return reply.Parameters.Deserialize(ControlJsonContext.Default.DisconnectReply) is { Status: not null } result
            ? result
            : throw new IOException("gpdaemon sent a reply without a status");
    }

    public async Task SubmitInputAsync(string id, string value, CancellationToken cancellationToken)
    {
        await CallOnceAsync(VpnInterface.SubmitInput, new SubmitInputParameters(id, value), ControlJsonContext.Default.SubmitInputParameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a connection. With <paramref name="follow"/>, yields every state until Connected; else the first status.</summary>
    public IAsyncEnumerable<VpnStatus> ConnectAsync(ConnectParameters parameters, bool follow, CancellationToken cancellationToken) =>
        StatusStream(VarlinkMessageWriter.Call(VpnInterface.Connect, parameters, ControlJsonContext.Default.ConnectParameters, follow), cancellationToken);

    /// <summary>The current status, then every change, until cancelled or the daemon goes away.</summary>
    public IAsyncEnumerable<VpnStatus> WatchAsync(CancellationToken cancellationToken) =>
        StatusStream(VarlinkMessageWriter.Call(VpnInterface.Watch, new EmptyParameters(), ControlJsonContext.Default.EmptyParameters, more: true), cancellationToken);

    /// <summary>Any call as raw JSON: for generic use and tests.</summary>
    public async IAsyncEnumerable<VarlinkReply> CallRawAsync(ReadOnlyMemory<byte> message, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _connection.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            ReadOnlyMemory<byte>? bytes = await _connection.ReadMessageAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("gpdaemon closed the connection");
            VarlinkReply reply = VarlinkReply.Parse(bytes.Value);
            yield return reply;
            if (!reply.Continues || reply.Error is not null)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<VpnStatus> StatusStream(byte[] message, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (VarlinkReply reply in CallRawAsync(message, cancellationToken).ConfigureAwait(false))
        {
            yield return ReadStatus(reply);
        }
    }

    private Task<VarlinkReply> CallOnceAsync<T>(string method, T parameters, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        CallOnceAsync(VarlinkMessageWriter.Call(method, parameters, typeInfo), cancellationToken);

    private async Task<VarlinkReply> CallOnceAsync(byte[] message, CancellationToken cancellationToken)
    {
        await foreach (VarlinkReply reply in CallRawAsync(message, cancellationToken).ConfigureAwait(false))
        {
            ThrowIfError(reply);
            return reply;
        }
        throw new IOException("gpdaemon sent no reply");
    }

    private static VpnStatus ReadStatus(VarlinkReply reply)
    {
        ThrowIfError(reply);
        return reply.Parameters.Deserialize(ControlJsonContext.Default.StatusReply)?.Status
            ?? throw new IOException("gpdaemon sent a reply without a status");
    }

    private static void ThrowIfError(VarlinkReply reply)
    {
        if (reply.Error is not null)
        {
            throw new VarlinkErrorException(reply.Error, reply.Parameters);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
