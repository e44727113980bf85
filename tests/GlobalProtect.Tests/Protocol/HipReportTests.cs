using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using GlobalProtect.Protocol;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Protocol;

/// <summary>The HIP exchange after a gateway login: the bodies as openconnect 9.01 builds them, and the replies.</summary>
public sealed class HipReportTests
{
    private const string Cookie = "authcookie=a1b2&portal=GP-Portal&user=CORP%5calice&domain=corp&preferred-ip=10.0.0.7&computer=box%201";

    [Fact]
    public void The_md5_covers_the_cookie_without_its_volatile_fields()
    {
        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("portal=GP-Portal&user=CORP%5calice&domain=corp&computer=box%201")));

        Assert.Equal(expected, HipRequests.Md5(Cookie));
        // A new login (new authcookie, another preferred address) keeps the same md5; another user does not.
        Assert.Equal(expected, HipRequests.Md5(Cookie.Replace("a1b2", "zz99").Replace("10.0.0.7", "10.0.0.8")));
        Assert.NotEqual(expected, HipRequests.Md5(Cookie.Replace("alice", "bob")));
    }

    [Fact]
    public void The_check_and_report_bodies_carry_the_role_the_cookie_the_address_and_the_md5_or_report()
    {
        Assert.Equal($"client-role=global-protect-full&{Cookie}&client-ip=10.99.0.2&md5=0123abcd",
            HipRequests.Check(Cookie, "10.99.0.2", "0123abcd"));
        Assert.Equal($"client-role=global-protect-full&{Cookie}&client-ip=10.99.0.2&report=%3ca%20b%3d%22c%26d%22%2f%3e",
            HipRequests.Report(Cookie, "10.99.0.2", "<a b=\"c&d\"/>"));
        Assert.EndsWith($"&{Cookie}", HipRequests.GetConfig(Cookie, new ClientIdentity()));
    }

    [Fact]
    public void Cookie_fields_are_decoded()
    {
        Assert.Equal("CORP\\alice", HipRequests.Field(Cookie, "user"));
        Assert.Equal("box 1", HipRequests.Field(Cookie, "computer"));
        Assert.Null(HipRequests.Field(Cookie, "nothing"));
    }

    [Theory]
    [InlineData("<response status=\"success\"><hip-report-needed>yes</hip-report-needed></response>", true)]
    [InlineData("<response status=\"success\"><hip-report-needed>no</hip-report-needed></response>", false)]
    public void The_check_reply_says_whether_a_report_is_needed(string body, bool needed) =>
        Assert.Equal(needed, HipReplyParser.ReportNeeded(200, body, "gw"));

    [Theory]
    [InlineData(200, "<response status=\"success\"/>", "did not say whether a report is needed")]
    [InlineData(200, "<response status=\"error\"><error>Invalid authentication cookie</error></response>", "refused: Invalid authentication cookie")]
    [InlineData(502, "", "answered HTTP 502")]
    [InlineData(200, "errors getting SSL/VPN config", "malformed XML")]
    public void A_bad_check_reply_is_an_error_that_says_why(int status, string body, string message)
    {
        var error = Assert.ThrowsAny<GlobalProtectException>(() => HipReplyParser.ReportNeeded(status, body, "gw"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_client_ip_comes_from_the_gateway_getconfig()
    {
        Assert.Equal("10.99.0.2", HipReplyParser.ClientAddresses(200, "<response><ip-address>10.99.0.2</ip-address></response>", "gw").Ipv4);
        Assert.Throws<GlobalProtectException>(() => HipReplyParser.ClientAddresses(200, "<response><ip-address>not an ip</ip-address></response>", "gw"));
        Assert.Throws<GlobalProtectException>(() => HipReplyParser.ClientAddresses(200, "<response/>", "gw"));
    }

    [Fact]
    public void The_report_document_has_the_hipreport_sh_shape_and_escapes_and_bounds_every_value()
    {
        var text = HipReportDocument.Build(new HipReportFacts(
            "0123456789abcdef0123456789abcdef", "alice</user-name><x>", "corp", new string('h', 10_000) + "\u0001",
            "host-id-1", "10.99.0.2", "4100", "Debian GNU/Linux 12 (bookworm)", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero)));

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", text);
        var root = XDocument.Parse(text).Root!;
        Assert.Equal("hip-report", root.Name.LocalName);
        Assert.Equal("0123456789abcdef0123456789abcdef", root.Element("md5-sum")!.Value);
        Assert.Equal("alice</user-name><x>", root.Element("user-name")!.Value);
        Assert.Equal(256, root.Element("host-name")!.Value.Length);
        Assert.Equal("10.99.0.2", root.Element("ip-address")!.Value);
        Assert.Equal("03/04/2026 05:06:07", root.Element("generate-time")!.Value);
        Assert.Equal("4", root.Element("hip-report-version")!.Value);
        var hostInfo = root.Element("categories")!.Elements("entry").Single(e => (string?)e.Attribute("name") == "host-info");
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", hostInfo.Element("os")!.Value);
        Assert.True(text.Length < 8 * 1024, $"{text.Length} characters");
    }

    [Theory]
    [InlineData("yes", HipReportOutcome.Sent, 3)]
    [InlineData("no", HipReportOutcome.NotNeeded, 2)]
    public async Task The_client_asks_the_gateway_and_reports_when_it_is_asked_to(string needed, HipReportOutcome outcome, int requests)
    {
        var log = new List<RecordedRequest>();
        var client = new GlobalProtectClient(new ClientIdentity(Computer: "box 1"), new TlsSettings(), TimeSpan.FromSeconds(10),
            () => new InMemoryHandler((request, _) => Task.FromResult(request.Path switch
            {
                "/ssl-vpn/getconfig.esp" => FakeResponse.Xml("<response><ip-address>10.99.0.2</ip-address></response>"),
                "/ssl-vpn/hipreportcheck.esp" => FakeResponse.Xml($"<response status=\"success\"><hip-report-needed>{needed}</hip-report-needed></response>"),
                "/ssl-vpn/hipreport.esp" => FakeResponse.Xml("<response status=\"success\"/>"),
                _ => new FakeResponse(404, ""),
            }), log));

        Assert.Equal(outcome, await client.SubmitHipReportAsync("gw.example.com:4443", Cookie, "Linux", Deadline.Token()));

        Assert.Equal(requests, log.Count);
        Assert.All(log, r => Assert.Equal("gw.example.com:4443", r.Authority));
        Assert.All(log, r => Assert.Equal("", r.Query)); // the cookie never goes in a URL
        Assert.Equal("a1b2", log[0].Field("authcookie"));
        Assert.Equal("global-protect-full", log[1].Field("client-role"));
        Assert.Equal("10.99.0.2", log[1].Field("client-ip"));
        Assert.Equal(HipRequests.Md5(Cookie), log[1].Field("md5"));
        if (outcome == HipReportOutcome.Sent)
        {
            var report = XDocument.Parse(log[2].Field("report")!).Root!;
            Assert.Equal(HipRequests.Md5(Cookie), report.Element("md5-sum")!.Value);
            Assert.Equal("CORP\\alice", report.Element("user-name")!.Value);
            Assert.Equal("box 1", report.Element("host-name")!.Value);
            Assert.Equal("10.99.0.2", log[2].Field("client-ip"));
        }
    }

    [Fact]
    public async Task A_refused_report_is_an_error_naming_the_step()
    {
        var client = new GlobalProtectClient(new ClientIdentity(), new TlsSettings(), TimeSpan.FromSeconds(10),
            () => new InMemoryHandler((request, _) => Task.FromResult(request.Path switch
            {
                "/ssl-vpn/getconfig.esp" => FakeResponse.Xml("<response><ip-address>10.99.0.2</ip-address></response>"),
                "/ssl-vpn/hipreportcheck.esp" => FakeResponse.Xml("<response><hip-report-needed>yes</hip-report-needed></response>"),
                _ => FakeResponse.Xml("<response status=\"error\"><error>Invalid HIP report</error></response>"),
            }), []));

        var error = await Assert.ThrowsAnyAsync<GlobalProtectException>(() => client.SubmitHipReportAsync("gw", Cookie, "Linux", Deadline.Token()));
        Assert.Equal("HIP report: gw refused: Invalid HIP report", error.Message);
        Assert.DoesNotContain("a1b2", error.Message);
    }
    private static GlobalProtectClient ClientNeedingAReport(List<RecordedRequest> log) =>
        new(new ClientIdentity(ClientOs: "Windows", Computer: "box 1"), new TlsSettings(), TimeSpan.FromSeconds(10),
            () => new InMemoryHandler((request, _) => Task.FromResult(request.Path switch
            {
                "/ssl-vpn/getconfig.esp" => FakeResponse.Xml("<response><ip-address>10.99.0.2</ip-address><ip-address-v6>fd00::2</ip-address-v6></response>"),
                "/ssl-vpn/hipreportcheck.esp" => FakeResponse.Xml("<response status=\"success\"><hip-report-needed>yes</hip-report-needed></response>"),
                "/ssl-vpn/hipreport.esp" => FakeResponse.Xml("<response status=\"success\"/>"),
                _ => new FakeResponse(404, ""),
            }), log));

    [Fact]
    public async Task A_report_writer_gets_the_facts_and_what_it_writes_is_sent()
    {
        var log = new List<RecordedRequest>();
        HipReportFacts? given = null;
        const string Written = "<?xml version=\"1.0\"?>\n<hip-report name=\"hip-report\"><md5-sum>x</md5-sum></hip-report>\n";

        var outcome = await ClientNeedingAReport(log).SubmitHipReportAsync("gw", Cookie, "Debian", (facts, _) =>
        {
            given = facts;
            return Task.FromResult(Written);
        }, Deadline.Token());

        Assert.Equal(HipReportOutcome.Sent, outcome);
        Assert.NotNull(given);
        Assert.Equal(HipRequests.Md5(Cookie), given.Md5);
        Assert.Equal("10.99.0.2", given.ClientIp);
        Assert.Equal("fd00::2", given.ClientIpv6);
        Assert.Equal("Windows", given.ClientOs);
        Assert.Equal("CORP\\alice", given.User);
        // The cookie's naming fields as the cookie encodes them, and nothing secret.
        Assert.Equal("user=CORP%5calice&domain=corp&computer=box%201", given.IdentityCookie);
        Assert.Equal(Written, log[2].Field("report"));
    }

    [Theory]
    [InlineData("not XML at all", "HIP report: malformed XML where <hip-report> was expected")]
    [InlineData("<html><body>hello</body></html>", "HIP report: the document is a <html>, not a <hip-report>")]
    [InlineData("", "HIP report: malformed XML")]
    public async Task What_a_writer_writes_is_sent_only_when_it_is_a_hip_report(string written, string message)
    {
        var log = new List<RecordedRequest>();

        var error = await Assert.ThrowsAnyAsync<GlobalProtectException>(() => ClientNeedingAReport(log).SubmitHipReportAsync(
            "gw", Cookie, "Debian", (_, _) => Task.FromResult(written), Deadline.Token()));

        Assert.StartsWith(message, error.Message);
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void A_report_larger_than_the_bound_is_refused()
    {
        string huge = "<hip-report>" + new string('a', HipReportDocument.MaxLength) + "</hip-report>";

        var error = Assert.Throws<GlobalProtectException>(() => HipReportDocument.Check(huge));

        Assert.Equal("HIP report: the report is larger than 1 MiB", error.Message);
    }
}
