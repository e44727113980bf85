using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace GlobalProtect.Protocol;

/// <summary>Safe, lenient XML reading for GlobalProtect responses (no DTDs, no external entities, no namespaces).</summary>
internal static partial class GpXml
{
    /// <summary>Parses a whole document and returns its root; malformed input names what was expected.</summary>
    public static XElement ParseRoot(string text, string source, string expected)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            // Servers sometimes put whitespace or a BOM before the XML declaration, which XmlReader rejects.
            string trimmed = EscapeStrayAmpersands(text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n'));
            CheckDepth(trimmed, settings, source, expected);
            using var stringReader = new StringReader(trimmed);
            using var reader = XmlReader.Create(stringReader, settings);
            var document = XDocument.Load(reader);
            return document.Root ?? throw new GlobalProtectException($"{source}: empty XML document where {expected} was expected");
        }
        catch (XmlException ex)
        {
            // Only the position: the parser's own text can quote the (secret-bearing) body.
            throw new GlobalProtectException(
                $"{source}: malformed XML where {expected} was expected (line {ex.LineNumber}, position {ex.LinePosition})");
        }
    }

    /// <summary>
    /// Servers put raw <c>&amp;</c> in text ("R&amp;D Gateway"), which is not XML; openconnect reads such replies
    /// leniently, so each <c>&amp;</c> that starts no XML entity or character reference is read as itself.
    /// </summary>
    internal static string EscapeStrayAmpersands(string text) =>
        text.Contains('&', StringComparison.Ordinal) ? StrayAmpersand().Replace(text, "&amp;") : text;

    [GeneratedRegex("&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)", RegexOptions.CultureInvariant)]
    private static partial Regex StrayAmpersand();

    /// <summary>No real reply nests deeper than a handful of levels; a hostile one could exhaust time and stack.</summary>
    internal const int MaxDepth = 64;

    private static void CheckDepth(string text, XmlReaderSettings settings, string source, string expected)
    {
        using var stringReader = new StringReader(text);
        using var reader = XmlReader.Create(stringReader, settings);
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                throw new GlobalProtectException($"{source}: XML nested deeper than {MaxDepth} levels where {expected} was expected");
            }
        }
    }

    public static bool Is(XElement element, string name) =>
        string.Equals(element.Name.LocalName, name, StringComparison.Ordinal);

    public static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => Is(e, name));

    public static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent is null ? [] : parent.Elements().Where(e => Is(e, name));

    /// <summary>The trimmed text of the first child with this name, or null when missing or empty.</summary>
    public static string? Text(XElement? parent, string name) => NonEmpty(Child(parent, name)?.Value);

    /// <summary>
    /// <see cref="Text"/> for what is shown to users or logged (messages, labels, names): the server's text made safe
    /// and bounded (<see cref="GpText.UntrustedText"/>). Never for cookies and tokens, which must stay exact.
    /// </summary>
    public static string? DisplayText(XElement? parent, string name) => GpText.UntrustedText.CleanOrNull(Text(parent, name));

    public static string? Attribute(XElement element, string name) =>
        NonEmpty(element.Attributes().FirstOrDefault(a => a.Name.LocalName == name)?.Value);

    public static int? Int(XElement? parent, string name) =>
        int.TryParse(Text(parent, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string? NonEmpty(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
