using System.Net;
using System.Text;

namespace FakeGlobalProtect.Options;

/// <summary>Everything the command line configures. Credentials are accepted values, never printed.</summary>
public sealed record FakeOptions
{
    public required IPEndPoint Listen { get; init; }
    public Scenario Scenario { get; init; } = Scenario.Password;
    public string User { get; init; } = "test";
    public string Password { get; init; } = "secret";
    public string Otp { get; init; } = "123456";
    public string Ip { get; init; } = "10.99.0.2";
    public IReadOnlyList<string> Dns { get; init; } = ["10.99.0.53"];
    /// <summary>The gateway's DNS domains (dns-suffix; openconnect's CISCO_DEF_DOMAIN); none by default.</summary>
    public IReadOnlyList<string> DnsSuffixes { get; init; } = [];
    public IReadOnlyList<string> Routes { get; init; } = ["10.99.0.0/16"];
    public string Region { get; init; } = "US";
    /// <summary>Delay before every reply; the "slow" scenario defaults it to 3000 ms.</summary>
    public int DelayMs { get; init; }
    /// <summary>A further delay before the logout reply (after its event), so a test can see who waits for it.</summary>
    public int LogoutDelayMs { get; init; }
    public string? CertificatePath { get; init; }
    /// <summary>Once a gateway login has succeeded, every later TLS handshake presents this certificate instead.</summary>
    public string? CertificateAfterLoginPath { get; init; }
    /// <summary>Where to append every cookie the fake issues ("KIND VALUE" a line), so a test can look for leaks.</summary>
    public string? SecretsFile { get; init; }
    /// <summary>A password of the gateway's own: it refuses the portal's with its own message and takes only this one.</summary>
    public string? GatewayPassword { get; init; }
    /// <summary>hipreportcheck.esp says a report is needed until a hipreport.esp arrives for that session.</summary>
    public bool HipRequired { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Listen = {Listen}, Scenario = {ScenarioNames.ToName(Scenario)}, User = {User}, ");
        builder.Append($"Ip = {Ip}, Dns = [{string.Join(", ", Dns)}], DnsSuffixes = [{string.Join(", ", DnsSuffixes)}], Routes = [{string.Join(", ", Routes)}], ");
        builder.Append($"Region = {Region}, DelayMs = {DelayMs}, LogoutDelayMs = {LogoutDelayMs}, CertificatePath = {CertificatePath}, CertificateAfterLoginPath = {CertificateAfterLoginPath}, SecretsFile = {SecretsFile}, HipRequired = {HipRequired}");
        return true;
    }
}
