using GlobalProtect.Tests.Flow;
using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Model;

/// <summary>Passwords, one-time codes and cookies never show in exception messages, ToString or progress text.</summary>
public sealed class SecretLeakTests : FlowTestBase
{
    private const string SecretPassword = "Pw-7f3a9c1e";
    private const string SecretCode = "Otp-55e1d0";
    private const string SecretPortalCookie = "Pc-2b8e4f61";
    private const string SecretPrelogonCookie = "Pl-9d0c3a77";
    private const string SecretAuthCookie = "Ac-6a1f0b3d";

    private static readonly string[] Secrets = [SecretPassword, SecretCode, SecretPortalCookie, SecretPrelogonCookie, SecretAuthCookie];

    private static FakeGpServer Server(
        Func<RecordedRequest, CancellationToken, Task<FakeResponse?>>? fault = null,
        bool gatewayChallenge = false,
        bool gatewayAcceptsCookie = true) => new()
        {
            Password = SecretPassword,
            PortalCookie = SecretPortalCookie,
            PrelogonCookie = SecretPrelogonCookie,
            AuthCookie = SecretAuthCookie,
            PortalChallenge = new FakeChallenge(ChallengeForm.Script, "Code please", "in-1", SecretCode),
            GatewayChallenge = gatewayChallenge ? new FakeChallenge(ChallengeForm.Xml, "Gateway code", "in-2", SecretCode) : null,
            GatewayAcceptsPortalCookie = gatewayAcceptsCookie,
            Override = fault,
        };

    private static Func<RecordedRequest, CancellationToken, Task<FakeResponse?>> On(string path, FakeResponse response) =>
        (r, _) => Task.FromResult(r.Path == path ? response : null);

    public static TheoryData<string> Failures => new()
    {
        "wrong password", "wrong code", "wrong gateway code", "http 500", "truncated jnlp", "bad jnlp argument", "timeout", "unreachable",
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failure_messages_hold_no_secret(string failure)
    {
        var (server, password, code) = failure switch
        {
            "wrong password" => (Server(), SecretPassword + "x", SecretCode),
            "wrong code" => (Server(), SecretPassword, SecretCode + "x"),
            "wrong gateway code" => (Server(gatewayChallenge: true, gatewayAcceptsCookie: false), SecretPassword, SecretCode),
            "http 500" => (Server(On("/ssl-vpn/login.esp", new FakeResponse(500, SecretAuthCookie))), SecretPassword, SecretCode),
            "truncated jnlp" => (Server(On("/ssl-vpn/login.esp", FakeResponse.Xml(Gp.Jnlp(SecretAuthCookie, User)[..^30]))), SecretPassword, SecretCode),
            "bad jnlp argument" => (Server(On("/ssl-vpn/login.esp", FakeResponse.Xml(Gp.Jnlp(SecretAuthCookie, User, connectionType: SecretAuthCookie[..2])))), SecretPassword, SecretCode),
            "timeout" => (Server(async (r, ct) =>
            {
                if (r.Path == "/ssl-vpn/login.esp")
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return null;
            }), SecretPassword, SecretCode),
            _ => (Server((r, _) => r.Path == "/ssl-vpn/login.esp" ? throw new HttpRequestException("connection reset") : Task.FromResult<FakeResponse?>(null)), SecretPassword, SecretCode),
        };
        // The second gateway code is deliberately wrong, so the gateway refuses after a challenge.
        var codes = new Queue<string>([code, "000000"]);
        var prompter = new RecordingPrompter(p => p.Kind == LoginPromptKind.Challenge ? codes.Dequeue() : password);
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAnyAsync<GlobalProtectException>(
            () => LoginAsync(server, Request(password: password), prompter, progress, timeout: TimeSpan.FromSeconds(failure == "timeout" ? 1 : 30)));

        AssertNoSecret(ex.ToString());
        AssertNoSecret(ex.Message);
        foreach (var report in progress.Reports)
        {
            AssertNoSecret(report.ToString());
        }
    }

    [Fact]
    public async Task Records_of_a_successful_login_hold_no_secret_in_their_text()
    {
        var server = Server();
        var progress = new RecordingProgress();
        var prompter = new RecordingPrompter(_ => SecretCode);

        var result = await LoginAsync(server, Request(password: SecretPassword, saved: null), prompter, progress);

        Assert.Contains(SecretAuthCookie, result.OpenConnectCookie);
        Assert.Equal(SecretPortalCookie, result.Session.PortalUserAuthCookie);
        AssertNoSecret(result.ToString());
        AssertNoSecret(result.Session.ToString());
        AssertNoSecret(Request(password: SecretPassword, saved: result.Session).ToString());
        AssertNoSecret(string.Join("\n", progress.Reports));
        AssertNoSecret(string.Join("\n", prompter.Prompts));
    }

    [Fact]
    public void Redacted_text_still_says_which_secrets_are_present()
    {
        var request = new LoginRequest(Portal, User, SecretPassword, null);

        Assert.Contains("Password = ***", request.ToString());
        Assert.Contains("Password = null", (request with { Password = null }).ToString());
    }

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
