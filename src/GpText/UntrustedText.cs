using System.Globalization;
using System.Text;

namespace GpText;

/// <summary>
/// Makes text from portals and callers safe to show and log: line breaks become spaces, other control characters
/// (C0, DEL, C1, among them ESC and the 8-bit CSI) and the invisible formatting ones (bidi overrides and isolates,
/// zero-width characters) are written as visible escapes (<c>\x1B</c>, <c>\u202E</c>), a lone surrogate becomes
/// U+FFFD, and the result is at most <see cref="MaxLength"/> characters, the last an ellipsis when it was cut.
/// Such text can then neither drive a terminal, nor forge a log line, nor make a status reply too large.
/// </summary>
public static class UntrustedText
{
    /// <summary>The longest text kept, in UTF-16 code units: far above any real label, name or message.</summary>
    public const int MaxLength = 1024;

    private const char Ellipsis = '\u2026';

    /// <summary>The text made safe; the same instance when it already was.</summary>
    public static string Clean(string text, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength && IsClean(text))
        {
            return text;
        }
        var result = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        bool lastWasBreak = false;
        int i = 0;
        for (; i < text.Length && result.Length <= maxLength; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Append(c).Append(text[++i]);
                lastWasBreak = false;
                continue;
            }
            if (IsBreak(c))
            {
                // "\r\n" and runs of breaks become one space.
                if (!lastWasBreak)
                {
                    result.Append(' ');
                }
                lastWasBreak = true;
                continue;
            }
            lastWasBreak = false;
            if (char.IsSurrogate(c))
            {
                result.Append('\uFFFD');
            }
            else if (IsHidden(c))
            {
                result.Append(c <= '\u00FF'
                    ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}")
                    : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"));
            }
            else
            {
                result.Append(c);
            }
        }
        if (i < text.Length || result.Length > maxLength)
        {
            // Cut, without splitting a surrogate pair, and say so.
            int keep = maxLength - 1;
            if (char.IsHighSurrogate(result[keep - 1]))
            {
                keep--;
            }
            result.Length = keep;
            result.Append(Ellipsis);
        }
        return result.ToString();
    }

    /// <summary><see cref="Clean(string, int)"/>, with null staying null.</summary>
    public static string? CleanOrNull(string? text, int maxLength = MaxLength) => text is null ? null : Clean(text, maxLength);

    /// <summary>True when the text holds no line break, control or invisible formatting character and no lone surrogate.</summary>
    public static bool IsClean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (IsBreak(c) || IsHidden(c) || char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsBreak(char c) => c is '\n' or '\r' or '\t' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Control characters, and format characters that reorder or hide text (bidi controls, zero-width, BOM).</summary>
    private static bool IsHidden(char c) =>
        c < ' ' || c is >= '\u007F' and <= '\u009F'
        || c is '\u061C' or '\u180E' or >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E'
            or >= '\u2060' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFB';
}
