using System.Text;

namespace GlobalProtect.Tests.Fuzz;

/// <summary>
/// Makes hostile server responses from real ones: character flips, truncation, deleted and duplicated spans, odd
/// element and attribute values, injected markup (DTDs, entities, CDATA, namespaces, stray declarations), deeper
/// nesting, splices of two responses, challenge-script damage, and documents generated from the protocol's element
/// names. Deterministic for a seed.
/// </summary>
internal sealed class ResponseMutator(int seed, IReadOnlyList<string> seeds)
{
    /// <summary>
    /// The deepest nesting generated. Far deeper documents make the parser run for minutes and then overflow the
    /// stack, which no test process survives; that is checked end to end against a daemon process instead.
    /// </summary>
    public const int MaxNesting = 1000;

    private static readonly string[] Values =
    [
        "", " ", "\n\t ", "(null)", "-1", "empty", "\"\"", "0", "1", "2147483647", "2147483648", "-2147483649",
        "99999999999999999999", "1e3", "0x10", "NaN", "\u0663", "tunnel", "Tunnel", "Success", "Error", "Challenge", "yes",
        "REDIRECT", "POST", "Any", "US", "GlobalProtect portal does not exist", "GlobalProtect gateway does not exist",
        "%", "%zz", "%28empty_domain%29", "%00", "%ff%fe", "+", "&amp;", "&lt;x&gt;", "&#0;", "&#x1F600;", "&#xD800;",
        "&nosuch;", "a\u0000b", "\u001b[31m", "\u00fc\u65e5\u672c", "\uFFFE", "\uD800", "!!!", "====", "aGVsbG8",
        "[::1", "[::1]:99999", "[fe80::1%eth0]:443", "host:0", "host:-5", "host:65536", "https://x", "http://x", "ftp://x",
        "//x", "a b", "a/b?c#d", "user@host", "127.0.0.1:443/path", "xn--nxasmq6b", ".", "..", "\\\\server\\share",
        "<![CDATA[x]]>", "]]>", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----",
    ];

    private static readonly string[] Markup =
    [
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>",
        "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        "&xxe;", "&lol2;", "<![CDATA[<status>Error</status>]]>", "<!-- comment -->", "<!--", "-->", "<?pi data?>",
        "<?xml version=\"1.0\"?>", "<?xml version=\"2.0\" encoding=\"ebcdic\"?>", "<x:entry xmlns:x=\"urn:x\" name=\"gw\"/>",
        " xmlns=\"urn:default\"", "<entry name=\"gw2.example.com\"><description>Two</description></entry>", "<", ">", "</",
        "/>", "<a", "</a>", "<entry>", "</entry>", "<argument>tunnel</argument>", "<status>Error</status>", "&", "'", "\"",
        "\uFEFF", "\u0000", "\r\n", "<msg/>", "<inputstr/>", "<challenge/>",
    ];

    private static readonly string[] ScriptPieces =
    [
        "\"", "\\", "\\u12", "\\u", "\\x", "\\\"", ";", "\n", "\r", "\t", "var respStatus = \"", "var respMsg = \"",
        "thisForm.inputStr.value = \"", "respStatus=\"Challenge\";", "respStatus = \"Error\";", new string(' ', 100_000),
        "\"" + new string(' ', 50_000), string.Concat(Enumerable.Repeat("respStatus = ", 5000)),
    ];

    private static readonly string[] Elements =
    [
        "prelogin-response", "status", "msg", "region", "username-label", "password-label", "saml-auth-method", "saml-request",
        "policy", "gateways", "external", "internal", "list", "entry", "priority-rule", "priority", "description",
        "portal-userauthcookie", "portal-prelogonuserauthcookie", "root-ca", "cert", "hip-collection", "hip-report-interval",
        "jnlp", "application-desc", "argument", "challenge", "inputstr", "respmsg", "response", "error", "user",
    ];

    private const string Special = "<>&\"'=/;#[]!?-\\ \n\u0000";

    private readonly Random _random = new(seed);

    /// <summary>How many more elements the document being generated may have: bounds it whatever the dice say.</summary>
    private int _elementBudget;

    public (string Kind, string Text) Next()
    {
        string text = Seed();
        int pick = _random.Next(100);
        return pick switch
        {
            < 3 => ("seed", text),
            < 15 => ("flip", Flip(text)),
            < 22 => ("truncate", text[.._random.Next(text.Length + 1)]),
            < 30 => ("delete-span", DeleteSpan(text)),
            < 38 => ("duplicate-span", DuplicateSpan(text)),
            < 52 => ("element-value", ReplaceElementValue(text)),
            < 60 => ("attribute-value", ReplaceAttributeValue(text)),
            < 70 => ("markup", Insert(text, Markup[_random.Next(Markup.Length)])),
            < 76 => ("nest", Nest(text)),
            < 82 => ("splice", Splice(text, Seed())),
            < 92 => ("generated", Generate()),
            _ => ("script", DamageScript(text)),
        };
    }

    private string Seed() => seeds[_random.Next(seeds.Count)];

    private string Value() => _random.Next(20) == 0 ? new string('A', _random.Next(1000, 200_000)) : Values[_random.Next(Values.Length)];

    private string Flip(string text)
    {
        if (text.Length == 0)
        {
            return Value();
        }
        var chars = text.ToCharArray();
        for (int i = _random.Next(1, 9); i > 0; i--)
        {
            chars[_random.Next(chars.Length)] = _random.Next(3) switch
            {
                0 => Special[_random.Next(Special.Length)],
                1 => (char)_random.Next(0x20, 0x7f),
                _ => (char)_random.Next(0, 0x10000),
            };
        }
        return new string(chars);
    }

    private (int Start, int Length) Span(string text)
    {
        int start = _random.Next(text.Length + 1);
        return (start, _random.Next(Math.Min(200, text.Length - start) + 1));
    }

    private string DeleteSpan(string text)
    {
        (int start, int length) = Span(text);
        return text.Remove(start, length);
    }

    private string DuplicateSpan(string text)
    {
        (int start, int length) = Span(text);
        string span = text.Substring(start, length);
        int copies = _random.Next(1, _random.Next(10) == 0 ? 2000 : 4);
        return text.Insert(_random.Next(text.Length + 1), string.Concat(Enumerable.Repeat(span, copies)));
    }

    private string Insert(string text, string what) => text.Insert(_random.Next(text.Length + 1), what);

    /// <summary>Replaces the text between one '&gt;' and the next '&lt;' (an element's value), escaped or raw.</summary>
    private string ReplaceElementValue(string text)
    {
        var positions = AllIndexes(text, '>');
        if (positions.Count == 0)
        {
            return Insert(text, Value());
        }
        int start = positions[_random.Next(positions.Count)] + 1;
        int end = text.IndexOf('<', start);
        if (end < 0)
        {
            end = text.Length;
        }
        string value = Value();
        if (_random.Next(2) == 0)
        {
            value = System.Security.SecurityElement.Escape(value) ?? value;
        }
        return text[..start] + value + text[end..];
    }

    private string ReplaceAttributeValue(string text)
    {
        var positions = AllIndexes(text, '=');
        if (positions.Count == 0)
        {
            return Insert(text, " name=\"" + Value() + "\"");
        }
        int at = positions[_random.Next(positions.Count)] + 1;
        if (at < text.Length && text[at] is '"' or '\'')
        {
            int close = text.IndexOf(text[at], at + 1);
            if (close > 0)
            {
                string value = _random.Next(3) == 0 ? Value() : System.Security.SecurityElement.Escape(Value()) ?? "";
                return text[..(at + 1)] + value + text[close..];
            }
        }
        return text.Insert(at, Value());
    }

    /// <summary>Wraps the inside of one element in many levels of another element.</summary>
    private string Nest(string text)
    {
        int depth = _random.Next(10) == 0 ? MaxNesting : _random.Next(2, 64);
        string name = Elements[_random.Next(Elements.Length)];
        var positions = AllIndexes(text, '>');
        int at = positions.Count == 0 ? 0 : positions[_random.Next(positions.Count)] + 1;
        int end = text.IndexOf('<', at);
        if (end < 0)
        {
            end = text.Length;
        }
        string open = string.Concat(Enumerable.Repeat($"<{name}>", depth));
        string close = string.Concat(Enumerable.Repeat($"</{name}>", depth));
        return text[..at] + open + text[at..end] + close + text[end..];
    }

    private string Splice(string first, string second) =>
        first[.._random.Next(first.Length + 1)] + second[_random.Next(second.Length + 1)..];

    /// <summary>A document from the protocol's element names, a few levels deep, with odd values and attributes.</summary>
    private string Generate()
    {
        var xml = new StringBuilder();
        if (_random.Next(2) == 0)
        {
            xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n");
        }
        string[] roots = ["prelogin-response", "policy", "jnlp", "response", "challenge"];
        _elementBudget = 500;
        AppendElement(xml, roots[_random.Next(roots.Length)], depth: 0);
        return xml.ToString();
    }

    private void AppendElement(StringBuilder xml, string name, int depth)
    {
        xml.Append('<').Append(name);
        if (_random.Next(3) == 0)
        {
            string attribute = _random.Next(2) == 0 ? "name" : "status";
            xml.Append(' ').Append(attribute).Append("=\"").Append(System.Security.SecurityElement.Escape(Values[_random.Next(Values.Length)])).Append('"');
        }
        xml.Append('>');
        int children = depth >= 6 || --_elementBudget <= 0 ? 0 : _random.Next(_random.Next(8) == 0 ? 40 : 5);
        if (children == 0)
        {
            // Huge values are for the mutations; a generated document is about structure, so it stays small.
            xml.Append(System.Security.SecurityElement.Escape(Values[_random.Next(Values.Length)]));
        }
        for (int i = 0; i < children; i++)
        {
            AppendElement(xml, Elements[_random.Next(Elements.Length)], depth + 1);
        }
        xml.Append("</").Append(name).Append('>');
    }

    /// <summary>Damage aimed at the challenge-script reader: quotes, escapes, line ends and repeated statements.</summary>
    private string DamageScript(string text)
    {
        string result = text;
        for (int i = _random.Next(1, 4); i > 0; i--)
        {
            result = Insert(result, ScriptPieces[_random.Next(ScriptPieces.Length)]);
        }
        return result;
    }

    private static List<int> AllIndexes(string text, char c)
    {
        var result = new List<int>();
        for (int i = text.IndexOf(c); i >= 0; i = text.IndexOf(c, i + 1))
        {
            result.Add(i);
        }
        return result;
    }
}
