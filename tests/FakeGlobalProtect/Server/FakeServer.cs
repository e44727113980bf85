using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FakeGlobalProtect.Events;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Tunnel;

namespace FakeGlobalProtect.Server;

/// <summary>
/// The fake portal+gateway on one TLS listener: a hand-written HTTP/1.1 server (keep-alive, no Host
/// required) in front of <see cref="PortalGateway"/>, switching to the tunnel on the tunnel GET.
/// </summary>
public sealed class FakeServer : IDisposable
{
    /// <summary>How long a tunnel lives in the drop-tunnel scenario before the fake cuts it.</summary>
    public static readonly TimeSpan DropTunnelAfter = TimeSpan.FromSeconds(3);

    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2? _certificateAfterLogin;
    private readonly FakeOptions _options;
    private readonly IEventSink _events;
    private readonly ConcurrentDictionary<Task, byte> _connections = new();

    private FakeServer(TcpListener listener, X509Certificate2 certificate, FakeOptions options, IEventSink events, X509Certificate2? certificateAfterLogin)
    {
        _listener = listener;
        _certificate = certificate;
        _certificateAfterLogin = certificateAfterLogin;
        _options = options;
        _events = events;
        LocalEndPoint = (IPEndPoint)listener.LocalEndpoint;
        Logic = new PortalGateway(options, LocalEndPoint, events);
    }

    public IPEndPoint LocalEndPoint { get; }

    public PortalGateway Logic { get; }

    /// <summary>Binds the listener (port 0 picks a free port) without accepting yet.</summary>
    /// <param name="certificateAfterLogin">What every handshake presents once a gateway login has succeeded (--cert-after-login).</param>
    public static FakeServer Start(FakeOptions options, X509Certificate2 certificate, IEventSink events, X509Certificate2? certificateAfterLogin = null)
    {
        var listener = new TcpListener(options.Listen);
        listener.Start();
        return new FakeServer(listener, certificate, options, events, certificateAfterLogin);
    }

    /// <summary>Accepts and serves connections until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                var connection = ServeAsync(client, cancellationToken);
                _connections.TryAdd(connection, 0);
                _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listener.Stop();
            await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var _ = client;
        // Closing the socket is what unblocks every pending read and write at shutdown.
        await using var registration = cancellationToken.Register(client.Dispose).ConfigureAwait(false);
        client.NoDelay = true;
        try
        {
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            try
            {
                var presented = _certificateAfterLogin is not null && Logic.GatewayLoginSeen ? _certificateAfterLogin : _certificate;
                if (presented != _certificate)
                {
                    Emit("tls-switched", ("subject", presented.Subject));
                }

                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = presented,
                    ClientCertificateRequired = false,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationException e)
            {
                Emit("http-error", ("reason", "tls-handshake"), ("message", e.Message));
                return;
            }
            await ServeRequestsAsync(new BufferedStreamReader(tls), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The client went away or the fake is shutting down: nothing to answer.
        }
        catch (Exception e)
        {
            // A bug in the fake must show up in the event stream, not take the whole fake down.
            Emit("http-error", ("status", "500"), ("reason", "internal"), ("exception", e.GetType().Name));
        }
    }

    private async Task ServeRequestsAsync(BufferedStreamReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            HttpRequest? request;
            try
            {
                request = await HttpRequestReader.ReadAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                Emit("http-error", ("status", "400"), ("reason", e.Message));
                await WriteAsync(reader.Stream, HttpResponse.Text(400, "Bad Request").Serialize(keepAlive: false), cancellationToken).ConfigureAwait(false);
                return;
            }
            if (request is null)
            {
                return;
            }

            var result = Logic.Handle(request);
            if (result is NoReplyResult)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (_options.DelayMs > 0)
            {
                await Task.Delay(_options.DelayMs, cancellationToken).ConfigureAwait(false);
            }

            if (_options.LogoutDelayMs > 0 && request.Path == "/ssl-vpn/logout.esp")
            {
                await Task.Delay(_options.LogoutDelayMs, cancellationToken).ConfigureAwait(false);
            }

            switch (result)
            {
                case ReplyResult reply:
                    var keepAlive = request.KeepAlive && !reply.Close;
                    await WriteAsync(reader.Stream, reply.Response.Serialize(keepAlive), cancellationToken).ConfigureAwait(false);
                    if (!keepAlive)
                    {
                        return;
                    }

                    break;
                case HugeBodyResult huge:
                    await SendHugeBodyAsync(reader.Stream, request, huge, cancellationToken).ConfigureAwait(false);
                    return;
                case EndlessBodyResult endless:
                    await SendEndlessBodyAsync(reader.Stream, request, endless, cancellationToken).ConfigureAwait(false);
                    return;
                case TunnelResult tunnel:
                    var dropAfter = _options.Scenario == Scenario.DropTunnel ? DropTunnelAfter : (TimeSpan?)null;
                    await new TunnelSession(reader, tunnel.Session, Logic.GatewaySideAddress, _events, dropAfter)
                        .RunAsync(cancellationToken).ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>
    /// Streams a well-formed prelogin-response of the announced length whose message is filler, so only its size is
    /// wrong. Stops when the client stops reading; the event says how much went out.
    /// </summary>
    private async Task SendHugeBodyAsync(Stream stream, HttpRequest request, HugeBodyResult huge, CancellationToken cancellationToken)
    {
        var start = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<prelogin-response><status>Success</status><msg>");
        var end = Encoding.ASCII.GetBytes("</msg></prelogin-response>\n");
        var filler = new byte[64 * 1024];
        filler.AsSpan().Fill((byte)'A');
        long sent = 0;
        try
        {
            await WriteAsync(stream, [.. HttpResponse.Xml("").SerializeHead(huge.Length, keepAlive: false), .. start], cancellationToken).ConfigureAwait(false);
            sent = start.Length;
            while (sent < huge.Length - end.Length)
            {
                var n = (int)Math.Min(filler.Length, huge.Length - end.Length - sent);
                await stream.WriteAsync(filler.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                sent += n;
            }
            await WriteAsync(stream, end, cancellationToken).ConfigureAwait(false);
            sent += end.Length;
        }
        finally
        {
            EmitBodyEnded(request, sent, huge.Length);
        }
    }

    /// <summary>Announces far more than it sends, then trickles one byte at a time until the client goes away.</summary>
    private async Task SendEndlessBodyAsync(Stream stream, HttpRequest request, EndlessBodyResult endless, CancellationToken cancellationToken)
    {
        var start = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<prelogin-response><status>Success</status><msg>");
        long sent = 0;
        try
        {
            await WriteAsync(stream, [.. HttpResponse.Xml("").SerializeHead(endless.AnnouncedLength, keepAlive: false), .. start], cancellationToken).ConfigureAwait(false);
            sent = start.Length;
            // Bounded by the announced length; in practice the client gives up (or the fake stops) long before.
            while (sent < endless.AnnouncedLength)
            {
                await Task.Delay(endless.Interval, cancellationToken).ConfigureAwait(false);
                await WriteAsync(stream, "A"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                sent++;
            }
        }
        finally
        {
            EmitBodyEnded(request, sent, endless.AnnouncedLength);
        }
    }

    private void EmitBodyEnded(HttpRequest request, long sent, long announced) =>
        Emit("body-ended",
            ("path", request.Path),
            ("sent", sent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("announced", announced.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("complete", sent == announced ? "yes" : "no"));

    private static async Task WriteAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Emit(string name, params (string Key, string Value)[] properties) =>
        _events.Emit(new FakeEvent(name, properties));
}
