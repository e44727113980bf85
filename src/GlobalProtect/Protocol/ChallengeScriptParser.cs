using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace GlobalProtect.Protocol;

/// <summary>
/// Reads the JavaScript-like challenge answer:
/// <code>
/// var respStatus = "Challenge";
/// var respMsg = "Enter the code";
/// thisForm.inputStr.value = "abcd1234";
/// </code>
/// Older servers write the message raw (even with quotes or line breaks inside), newer ones JSON-escape it; both are
/// read, and so is the script sent as the text of an HTML page.
/// </summary>
internal static partial class ChallengeScriptParser
{
    /// <summary>True when the body is a script reply rather than XML.</summary>
    public static bool Looks(string body) => StatusPattern().IsMatch(body);

    /// <summary>A <see cref="ServerReply.Challenge"/> or <see cref="ServerReply.Refused"/>, or null when unreadable.</summary>
    public static ServerReply? TryParse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        body = Unwrap(body);
        var status = ReadAssigned(body, StatusPattern());
        if (status is null)
        {
            return null;
        }

        var message = ReadAssigned(body, MessagePattern()) is { } raw ? GpText.UntrustedText.Clean(raw) : null;
        if (status.StartsWith("Error", StringComparison.OrdinalIgnoreCase))
        {
            return new ServerReply.Refused(string.IsNullOrWhiteSpace(message) ? "authentication failed" : message.Trim());
        }

        if (!status.StartsWith("Challenge", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // A challenge without its token cannot be answered.
        var inputStr = ReadAssigned(body, InputStrPattern());
        return string.IsNullOrEmpty(inputStr)
            ? null
            : new ServerReply.Challenge(string.IsNullOrWhiteSpace(message) ? "Challenge" : message.Trim(), inputStr);
    }

    /// <summary>
    /// Some servers send the script as the text of an HTML page, with character references in the strings
    /// (<c>Enter &amp;#39;0&amp;#39; to abort</c>): the page's text is what the script says.
    /// </summary>
    private static string Unwrap(string body)
    {
        var start = body.AsSpan().TrimStart();
        return start.StartsWith("<", StringComparison.Ordinal)
            ? WebUtility.HtmlDecode(TagPattern().Replace(body, string.Empty))
            : body;
    }

    private static string? ReadAssigned(string body, Regex pattern)
    {
        var match = pattern.Match(body);
        return match.Success ? ReadStringLiteral(body, match.Index + match.Length) : null;
    }

    /// <summary>
    /// Reads a string literal whose opening quote precedes <paramref name="start"/>. It ends at the first
    /// unescaped quote followed by <c>;</c> or the end of the line, so raw quotes inside old-style messages survive;
    /// raw line breaks inside the string are kept (some servers write multi-line messages that way).
    /// </summary>
    private static string? ReadStringLiteral(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c == '"' && EndsStatement(text, i + 1))
            {
                return Unescape(text.AsSpan(start, i - start));
            }
        }

        return null;
    }

    private static bool EndsStatement(string text, int index)
    {
        while (index < text.Length && (text[index] == ' ' || text[index] == '\t'))
        {
            index++;
        }

        return index >= text.Length || text[index] is ';' or '\r' or '\n';
    }

    /// <summary>JSON / JavaScript escapes; an unknown escape is kept as written (old servers do not escape).</summary>
    internal static string Unescape(ReadOnlySpan<char> raw)
    {
        var result = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                result.Append(c);
                continue;
            }

            var next = raw[i + 1];
            switch (next)
            {
                case '"' or '\'' or '\\' or '/':
                    result.Append(next);
                    i++;
                    break;
                case 'n':
                    result.Append('\n');
                    i++;
                    break;
                case 'r':
                    result.Append('\r');
                    i++;
                    break;
                case 't':
                    result.Append('\t');
                    i++;
                    break;
                case 'b':
                    result.Append('\b');
                    i++;
                    break;
                case 'f':
                    result.Append('\f');
                    i++;
                    break;
                case 'u' when TryHex(raw.Slice(i + 2, Math.Min(4, raw.Length - i - 2)), 4, out var code):
                    result.Append((char)code);
                    i += 5;
                    break;
                case 'x' when TryHex(raw.Slice(i + 2, Math.Min(2, raw.Length - i - 2)), 2, out var code):
                    result.Append((char)code);
                    i += 3;
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }

    private static bool TryHex(ReadOnlySpan<char> digits, int length, out int value)
    {
        value = 0;
        return digits.Length == length &&
               int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex("<[^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex("""respStatus\s*=\s*["]""", RegexOptions.CultureInvariant)]
    private static partial Regex StatusPattern();

    [GeneratedRegex("""respMsg\s*=\s*["]""", RegexOptions.CultureInvariant)]
    private static partial Regex MessagePattern();

    [GeneratedRegex("""inputStr\.value\s*=\s*["]""", RegexOptions.CultureInvariant)]
    private static partial Regex InputStrPattern();
}
