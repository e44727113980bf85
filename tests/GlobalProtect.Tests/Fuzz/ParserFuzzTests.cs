using System.Text;
using System.Text.RegularExpressions;
using GlobalProtect.Protocol;
using Xunit.Abstractions;

namespace GlobalProtect.Tests.Fuzz;

/// <summary>
/// The readers of untrusted server text (prelogin, portal config, jnlp, challenge script, the reply classifier, and
/// server addresses) against thousands of generated and mutated responses: each either returns a result or throws
/// the library's GlobalProtectException, which the daemon turns into a clear failure. Any other exception would
/// escape as a bug; a hang would stall a login that no deadline covers (parsing runs after the request finished).
/// </summary>
public sealed partial class ParserFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerTarget = 10_000;

    /// <summary>The default seed; GPD_FUZZ_SEED replays another.</summary>
    private const int DefaultSeed = 20261129;

    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Targets => [.. ParserTarget.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task MutatedResponses_GiveAResultOrAGlobalProtectException_NeverAnotherException(string name)
    {
        ParserTarget target = ParserTarget.All.Single(t => t.Name == name);
        int seed = (int.TryParse(Environment.GetEnvironmentVariable("GPD_FUZZ_SEED"), out int s) ? s : DefaultSeed) + Array.IndexOf(ParserTarget.All, target);
        var mutator = new ResponseMutator(seed, name == "server-address" ? AddressSeeds() : [.. FuzzCorpus.All.Select(f => f.Text)]);
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, (int Accepted, int Refused)>(StringComparer.Ordinal);
        string kind = "", text = "";

        await HangGuard.RunAsync(CasesPerTarget, i =>
        {
            (kind, text) = mutator.Next();
            bool accepted;
            try
            {
                target.Parse(text);
                accepted = true;
            }
            catch (GlobalProtectException)
            {
                accepted = false;
            }
            catch (Exception ex)
            {
                failures.Add($"case #{i} ({kind}): {ex.GetType().Name}: {ex.Message}\n    input saved as {Save(name, seed, i, text)}: {Preview(text)}\n    {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
                return;
            }
            (int a, int r) = outcomes.GetValueOrDefault(kind);
            outcomes[kind] = accepted ? (a + 1, r) : (a, r + 1);
        }, () => $"({kind}) {Preview(text)}", HangAfter);

        output.WriteLine($"{name}, seed {seed}: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value.Accepted} accepted/{o.Value.Refused} refused")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {CasesPerTarget} inputs (seed {seed}) threw something else than GlobalProtectException:\n" + string.Join("\n", failures.Take(10)));
        // The fuzzing reached both sides: inputs the reader accepts and inputs it refuses (the script reader never throws).
        Assert.True(outcomes.Values.Sum(o => o.Accepted) > 0, "no input was accepted: the mutations never reach past the first check");
        if (name != "challenge-script")
        {
            Assert.True(outcomes.Values.Sum(o => o.Refused) > 0, "no input was refused");
        }
    }

    [Fact]
    public void TheCorpus_HoldsResponsesTheirReadersAccept()
    {
        Assert.NotEmpty(FuzzCorpus.All);
        foreach ((string file, string text) in FuzzCorpus.All)
        {
            switch (file.Split('-')[0])
            {
                case "prelogin":
                    Assert.NotNull(PreloginParser.Parse(text));
                    break;
                case "portal":
                    Assert.NotEmpty(PortalConfigParser.Parse(text).Gateways);
                    break;
                case "jnlp":
                    Assert.Equal("tunnel", JnlpParser.Parse(text).ConnectionType);
                    break;
                case "challenge" when file.EndsWith(".txt", StringComparison.Ordinal):
                    Assert.NotNull(ChallengeScriptParser.TryParse(text));
                    break;
                case "challenge":
                    Assert.IsType<ServerReply.Challenge>(ServerReplyReader.Read(200, text, "gateway login", "<jnlp>"));
                    break;
                case "response" or "gateway":
                    Assert.IsNotType<ServerReply.Challenge>(ServerReplyReader.Read(200, text, "portal getconfig", "<policy>"));
                    break;
                case "html":
                    // A proxy's error page is not XML: refused, with a message.
                    Assert.Throws<GlobalProtectException>(() => ServerReplyReader.Read(200, text, "portal getconfig", "<policy>"));
                    break;
                default:
                    Assert.Fail($"corpus file {file}: no reader is known for its name (prefix it prelogin-, portal-config-, jnlp-, challenge-, response-, gateway- or html-)");
                    break;
            }
        }
    }

    [Theory]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><prelogin-response><status>Success</status><msg>&lol3;</msg></prelogin-response>")]
    [InlineData("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><prelogin-response><msg>&xxe;</msg></prelogin-response>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:1/evil.dtd\"><prelogin-response/>")]
    public void DocumentTypeDeclarations_AreRefused_NeverExpandedOrFetched(string body)
    {
        // Entity expansion (billion laughs) and external entities (file or network reads) never happen: refused outright.
        Assert.Throws<GlobalProtectException>(() => PreloginParser.Parse(body));
        Assert.Throws<GlobalProtectException>(() => ServerReplyReader.Read(200, body, "portal getconfig", "<policy>"));
    }

    private static string[] AddressSeeds()
    {
        var addresses = new List<string>
        {
            "vpn.example.com", "vpn.example.com:4443", "https://vpn.example.com/global-protect/", "127.0.0.1:8443",
            "[2001:db8::1]:443", "2001:db8::1", "VPN.Example.COM.", "https://[::1]:10443", "gw", "localhost:0",
        };
        foreach ((string _, string text) in FuzzCorpus.All)
        {
            addresses.AddRange(EntryName().Matches(text).Select(m => m.Groups[1].Value));
        }
        return [.. addresses.Distinct()];
    }

    private static string Save(string target, int seed, int index, string text)
    {
        string directory = Path.Combine(Path.GetTempPath(), "gp-parser-fuzz");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"{target}-seed{seed}-case{index}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Preview(string text)
    {
        var preview = new StringBuilder();
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, 200)))
        {
            preview.Append(c is >= ' ' and < '\u007f' ? c : $"\\u{(int)c:x4}");
        }
        return $"{preview}{(text.Length > 200 ? $"... ({text.Length} chars)" : "")}";
    }

    [GeneratedRegex("name=\"([^\"]*)\"")]
    private static partial Regex EntryName();
}
