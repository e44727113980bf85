using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GlobalProtect.Tests.Support;

/// <summary>
/// A minimal HTTPS/1.1 server on 127.0.0.1 (TcpListener + SslStream) that answers GlobalProtect requests
/// from a function of (path, body). Keeps connections alive; records each request's head.
/// </summary>
internal sealed class LoopbackHttpsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly Func<string, string, (int Status, string Body)> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    public LoopbackHttpsServer(X509Certificate2 certificate, Func<string, string, (int Status, string Body)> respond)
    {
        _certificate = certificate;
        _respond = respond;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>Request line and headers of each request, as received.</summary>
    public List<string> RequestHeads { get; } = [];

    /// <summary>The body of each request, as received.</summary>
    public List<string> RequestBodies { get; } = [];

    private int _handshakes;

    /// <summary>TLS connections accepted so far (each a TCP connection and a handshake).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>A portal and gateway in one: prelogin, getconfig naming this server as the gateway, login.</summary>
    public static LoopbackHttpsServer GlobalProtect(X509Certificate2 certificate)
    {
        LoopbackHttpsServer? server = null;
        server = new LoopbackHttpsServer(certificate, (path, _) => path switch
        {
            "/global-protect/prelogin.esp" or "/ssl-vpn/prelogin.esp" => (200, Gp.Prelogin()),
            "/global-protect/getconfig.esp" => (200, Gp.Policy([Gp.Gateway(server!.Authority, "Loopback")])),
            "/ssl-vpn/login.esp" => (200, Gp.Jnlp("loopcookie", "alice")),
            _ => (404, "not found"),
        });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                Interlocked.Increment(ref _handshakes);
                while (await ReadRequestAsync(tls) is { } request)
                {
                    var (status, body) = _respond(request.Path, request.Body);
                    var payload = Encoding.UTF8.GetBytes(body);
                    var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/xml; charset=UTF-8\r\nContent-Length: {payload.Length}\r\n\r\n";
                    await tls.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(payload).ToArray(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The client refused the certificate, closed the connection, or the server is stopping.
            }
        }
    }

    private async Task<(string Path, string Body)?> ReadRequestAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
        }

        var head = Encoding.ASCII.GetString(buffer.ToArray());
        lock (RequestHeads)
        {
            RequestHeads.Add(head);
        }

        var lines = head.Split("\r\n");
        var target = lines[0].Split(' ')[1];
        var length = lines
            .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        lock (RequestHeads)
        {
            RequestBodies.Add(Encoding.UTF8.GetString(body));
        }

        return (target.Split('?')[0], Encoding.UTF8.GetString(body));
    }

    private static bool EndsWithBlankLine(List<byte> buffer) =>
        buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n';
}
