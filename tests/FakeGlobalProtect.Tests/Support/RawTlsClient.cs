using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using FakeGlobalProtect.Http;
using FakeGlobalProtect.Tls;

namespace FakeGlobalProtect.Tests.Support;

/// <summary>A byte-level HTTPS client that writes requests exactly as given, like openconnect does.</summary>
public sealed class RawTlsClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;

    private RawTlsClient(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
        Reader = new BufferedStreamReader(tls);
    }

    public BufferedStreamReader Reader { get; }

    public static async Task<RawTlsClient> ConnectAsync(System.Net.IPEndPoint endPoint, string pin)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
            certificate is not null && ServerCertificate.Pin(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate)) == pin);
        await tls.AuthenticateAsClientAsync("localhost");
        return new RawTlsClient(tcp, tls);
    }

    public async Task WriteAsync(string text) => await WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        await _tls.WriteAsync(bytes, cts.Token);
        await _tls.FlushAsync(cts.Token);
    }

    /// <summary>Reads one response; requires Content-Length, as the fake always sends it.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadResponseAsync()
    {
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        var head = await Reader.ReadHeadAsync(cts.Token) ?? throw new EndOfStreamException("connection closed");
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = new byte[int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture)];
        if (body.Length > 0)
        {
            Assert.True(await Reader.ReadExactlyAsync(body, cts.Token));
        }

        return (status, headers, Encoding.UTF8.GetString(body));
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        var buffer = new byte[count];
        Assert.True(await Reader.ReadExactlyAsync(buffer, cts.Token), "connection closed");
        return buffer;
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }
}
