using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Tls;

/// <summary>
/// The HIP exchange after a login goes over the connection the gateway login left open: no new TCP and TLS handshake
/// (at 30 ms round-trip time that is two round trips before openconnect can start). Real sockets on loopback.
/// </summary>
public sealed class HipReportConnectionTests
{
    [Fact]
    public async Task The_hip_exchange_reuses_the_gateway_logins_connection_once()
    {
        using var certificate = TestCertificates.SelfSigned();
        LoopbackHttpsServer? server = null;
        await using var _ = server = new LoopbackHttpsServer(certificate, (path, _) => path switch
        {
            "/global-protect/prelogin.esp" or "/ssl-vpn/prelogin.esp" => (200, Gp.Prelogin()),
            "/global-protect/getconfig.esp" => (200, Gp.Policy([Gp.Gateway(server!.Authority, "Loopback")])),
            "/ssl-vpn/login.esp" => (200, Gp.Jnlp("loopcookie", "alice")),
            "/ssl-vpn/getconfig.esp" => (200, "<response status=\"success\"><ip-address>10.99.0.2</ip-address></response>"),
            "/ssl-vpn/hipreportcheck.esp" => (200, "<response status=\"success\"><hip-report-needed>yes</hip-report-needed></response>"),
            "/ssl-vpn/hipreport.esp" => (200, "<response status=\"success\"/>"),
            _ => (404, "not found"),
        });
        var client = new GlobalProtectClient(new ClientIdentity(Computer: "testbox"),
            new TlsSettings(ServerCertPin: Pins.ComputePin(certificate)), TimeSpan.FromSeconds(30));
        var login = await client.LoginAsync(new LoginRequest(server.Authority, "alice", "pw", null), RecordingPrompter.None(), null,
            Deadline.Token());
        var afterLogin = server.Handshakes;

        Assert.Equal(HipReportOutcome.Sent, await client.SubmitHipReportAsync(login, "Linux", Deadline.Token()));

        Assert.Equal(afterLogin, server.Handshakes);
        Assert.Equal(["/ssl-vpn/getconfig.esp", "/ssl-vpn/hipreportcheck.esp", "/ssl-vpn/hipreport.esp"],
            server.RequestHeads.Skip(server.RequestHeads.Count - 3).Select(head => head.Split(' ')[1]));

        // The kept connection was handed over once and closed after the exchange: a second one makes its own.
        Assert.Equal(HipReportOutcome.Sent, await client.SubmitHipReportAsync(login, "Linux", Deadline.Token()));
        Assert.Equal(afterLogin + 1, server.Handshakes);
    }
}
