using System.Globalization;
using System.Net;

namespace FakeGlobalProtect.Options;

/// <summary>Parses the fake's command line (a contract other test suites rely on).</summary>
public static class FakeOptionsParser
{
    public const string Usage =
        """
        usage: fake-globalprotect --listen 127.0.0.1:0 [--scenario NAME]
                                  [--user test] [--password secret] [--otp 123456]
                                  [--gateway-password PASSWORD]
                                  [--ip 10.99.0.2] [--dns 10.99.0.53]... [--dns-suffix corp.test]... [--route 10.99.0.0/16]...
                                  [--region US] [--delay-ms N] [--logout-delay-ms N] [--cert PATH.pfx] [--cert-after-login PATH.pfx]
                                  [--secrets-file PATH] [--hip-required]
        """;

    public static FakeOptions Parse(IReadOnlyList<string> args)
    {
        IPEndPoint? listen = null;
        var scenario = Scenario.Password;
        string user = "test", password = "secret", otp = "123456", ip = "10.99.0.2", region = "US";
        List<string> dns = [], dnsSuffixes = [], routes = [];
        int? delayMs = null;
        var logoutDelayMs = 0;
        string? cert = null, certAfterLogin = null;
        string? secretsFile = null;
        string? gatewayPassword = null;
        var hipRequired = false;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--listen":
                    var text = Value();
                    if (!IPEndPoint.TryParse(text, out listen) || listen.Port is < 0 or > 65535)
                    {
                        throw new UsageException($"--listen: not an address:port: {text}");
                    }

                    break;
                case "--scenario":
                    var scenarioName = Value();
                    if (!ScenarioNames.TryParse(scenarioName, out scenario))
                    {
                        throw new UsageException($"unknown scenario '{scenarioName}'; known: {string.Join(", ", ScenarioNames.All)}");
                    }

                    break;
                case "--user": user = NonEmpty(name, Value()); break;
                case "--password": password = NonEmpty(name, Value()); break;
                case "--otp": otp = NonEmpty(name, Value()); break;
                case "--gateway-password": gatewayPassword = NonEmpty(name, Value()); break;
                case "--ip": ip = Ipv4(name, Value()); break;
                case "--dns": dns.Add(Ipv4(name, Value())); break;
                case "--dns-suffix": dnsSuffixes.Add(NonEmpty(name, Value())); break;
                case "--route": routes.Add(Route(Value())); break;
                case "--region": region = NonEmpty(name, Value()); break;
                case "--delay-ms":
                    var delay = Value();
                    if (!int.TryParse(delay, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                    {
                        throw new UsageException($"--delay-ms: not a number of milliseconds: {delay}");
                    }

                    delayMs = ms;
                    break;
                case "--logout-delay-ms":
                    var logoutDelay = Value();
                    if (!int.TryParse(logoutDelay, NumberStyles.None, CultureInfo.InvariantCulture, out logoutDelayMs))
                    {
                        throw new UsageException($"--logout-delay-ms: not a number of milliseconds: {logoutDelay}");
                    }

                    break;
                case "--cert": cert = NonEmpty(name, Value()); break;
                case "--cert-after-login": certAfterLogin = NonEmpty(name, Value()); break;
                case "--secrets-file": secretsFile = NonEmpty(name, Value()); break;
                case "--hip-required": hipRequired = true; break;
                default:
                    throw new UsageException($"unknown argument '{name}'");
            }
        }

        if (listen is null)
        {
            throw new UsageException("--listen is required");
        }

        return new FakeOptions
        {
            Listen = listen,
            Scenario = scenario,
            User = user,
            Password = password,
            Otp = otp,
            Ip = ip,
            Dns = dns.Count > 0 ? dns : ["10.99.0.53"],
            DnsSuffixes = dnsSuffixes,
            Routes = routes.Count > 0 ? routes : ["10.99.0.0/16"],
            Region = region,
            DelayMs = delayMs ?? (scenario == Scenario.Slow ? 3000 : 0),
            LogoutDelayMs = logoutDelayMs,
            CertificatePath = cert,
            CertificateAfterLoginPath = certAfterLogin,
            SecretsFile = secretsFile,
            GatewayPassword = gatewayPassword,
            HipRequired = hipRequired,
        };
    }

    private static string NonEmpty(string name, string value) =>
        value.Length > 0 ? value : throw new UsageException($"{name} must not be empty");

    private static string Ipv4(string name, string value) =>
        IsDottedQuad(value) ? value : throw new UsageException($"{name}: not an IPv4 address: {value}");

    // IPAddress.TryParse also takes "10.1" and "010.0.0.1"; only the canonical dotted quad is meant here.
    private static bool IsDottedQuad(ReadOnlySpan<char> value) =>
        IPAddress.TryParse(value, out var address)
        && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && value.SequenceEqual(address.ToString());

    private static string Route(string value)
    {
        var slash = value.IndexOf('/');
        if (slash < 0
            || !IsDottedQuad(value.AsSpan(0, slash))
            || !int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            || bits > 32)
        {
            throw new UsageException($"--route: not an IPv4 prefix like 10.99.0.0/16: {value}");
        }

        return value;
    }
}
