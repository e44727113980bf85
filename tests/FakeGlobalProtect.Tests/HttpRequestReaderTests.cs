using System.Text;
using FakeGlobalProtect.Http;

namespace FakeGlobalProtect.Tests;

public sealed class HttpRequestReaderTests
{
    private static BufferedStreamReader ReaderOver(string text) =>
        new(new MemoryStream(Encoding.Latin1.GetBytes(text)));

    private static BufferedStreamReader ReaderOver(byte[] bytes) => new(new MemoryStream(bytes));

    [Fact]
    public async Task Post_without_content_length_has_an_empty_body_and_the_next_request_follows()
    {
        // What openconnect sends for prelogin, then the next request on the same connection.
        var reader = ReaderOver(
            "POST /global-protect/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Linux HTTP/1.1\r\nHost: 127.0.0.1:4443\r\nUser-Agent: PAN GlobalProtect\r\n\r\n"
            + "POST /global-protect/getconfig.esp HTTP/1.1\r\nHost: 127.0.0.1:4443\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 24\r\n\r\n"
            + "user=test&passwd=a%2Bb+c");

        var first = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);
        var second = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);
        var end = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal("/global-protect/prelogin.esp", first.Path);
        Assert.Equal("Linux", first.Query["clientos"]);
        Assert.Empty(first.Body);
        Assert.Equal("127.0.0.1:4443", first.Host);
        Assert.True(first.KeepAlive);

        Assert.NotNull(second);
        Assert.Equal("/global-protect/getconfig.esp", second.Path);
        Assert.Equal("test", second.Form["user"]);
        Assert.Equal("a+b c", second.Form["passwd"]);
        Assert.Null(end);
    }

    [Fact]
    public async Task Bytes_after_the_tunnel_get_stay_readable_for_the_tunnel()
    {
        var head = Encoding.ASCII.GetBytes("GET /ssl-tunnel-connect.sslvpn?user=test&authcookie=abc HTTP/1.1\r\n\r\n");
        byte[] frame = [0x1a, 0x2b, 0x3c, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var reader = ReaderOver([.. head, .. frame]);

        var request = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);
        var next = new byte[16];
        var read = await reader.ReadExactlyAsync(next, CancellationToken.None);

        Assert.NotNull(request);
        Assert.Null(request.Host);
        Assert.Equal("abc", request.Query["authcookie"]);
        Assert.True(read);
        Assert.Equal(frame, next);
    }

    [Fact]
    public async Task Chunked_bodies_are_reassembled()
    {
        var reader = ReaderOver("POST /ssl-vpn/login.esp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nuser\r\n5;x=y\r\n=test\r\n0\r\nTrailer: 1\r\n\r\n");

        var request = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);

        Assert.Equal("test", request!.Form["user"]);
    }

    [Fact]
    public async Task Bare_line_feeds_and_leading_blank_lines_are_accepted()
    {
        var reader = ReaderOver("\r\n\nPOST /ssl-vpn/logout.esp HTTP/1.0\nContent-Length: 3\n\nabc");

        var request = await HttpRequestReader.ReadAsync(reader, CancellationToken.None);

        Assert.Equal("/ssl-vpn/logout.esp", request!.Path);
        Assert.Equal("abc"u8.ToArray(), request.Body);
        Assert.False(request.KeepAlive);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET / HTTP/2\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nno colon here\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("GET / HTTP/1.1\r\nHost: cut")]
    public async Task Malformed_requests_are_refused(string text)
    {
        await Assert.ThrowsAnyAsync<Exception>(async () => await HttpRequestReader.ReadAsync(ReaderOver(text), CancellationToken.None));
    }

    [Fact]
    public void ToString_leaves_out_the_query_and_body()
    {
        var request = new HttpRequest("GET", "/ssl-tunnel-connect.sslvpn?authcookie=deadbeef&user=test", "HTTP/1.1",
            new Dictionary<string, string>(), "passwd=hunter2"u8.ToArray());

        Assert.DoesNotContain("deadbeef", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("/ssl-tunnel-connect.sslvpn", request.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Responses_always_carry_content_length()
    {
        var text = Encoding.ASCII.GetString(HttpResponse.Text(512, "Invalid username or password").Serialize(keepAlive: true));

        Assert.StartsWith("HTTP/1.1 512 ", text, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 28\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: keep-alive\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nInvalid username or password", text, StringComparison.Ordinal);
    }
}
