using GpControl;
using GpText;

namespace GpControl.Tests;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("Enter the code", "Enter the code")]
    [InlineData("Grüße, 東京 \U0001F600", "Grüße, 東京 \U0001F600")]
    [InlineData("line one\nline two", "line one line two")]
    [InlineData("a\r\nb\n\n\tc", "a b c")]
    [InlineData("\u001b[2J\u001b[Hcleared", "\\x1B[2J\\x1B[Hcleared")]
    [InlineData("8-bit \u009b2J CSI and \u0085NEL", "8-bit \\x9B2J CSI and  NEL")]
    [InlineData("bell\a del\u007f nul\0", "bell\\x07 del\\x7F nul\\x00")]
    [InlineData("txt.exe\u202Egpj.", "txt.exe\\u202Egpj.")]
    [InlineData("zero\u200Bwidth \u2066isolate\u2069 \uFEFFbom", "zero\\u200Bwidth \\u2066isolate\\u2069 \\uFEFFbom")]
    [InlineData("line\u2028separator", "line separator")]
    public void Control_and_invisible_characters_are_made_visible_and_breaks_become_spaces(string input, string expected)
    {
        string cleaned = UntrustedText.Clean(input);

        Assert.Equal(expected, cleaned);
        Assert.True(UntrustedText.IsClean(cleaned));
        Assert.Equal(input == expected, UntrustedText.IsClean(input));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        string text = "lone " + (char)0xD800 + " surrogate";

        Assert.False(UntrustedText.IsClean(text));
        Assert.Equal("lone \uFFFD surrogate", UntrustedText.Clean(text));
    }

    [Fact]
    public void Clean_text_comes_back_as_the_same_instance()
    {
        string text = "vpn.example.com";

        Assert.Same(text, UntrustedText.Clean(text));
    }

    [Fact]
    public void Long_text_is_bounded_with_an_ellipsis_without_reading_it_all()
    {
        string huge = new('x', 3 * 1024 * 1024);

        string cleaned = UntrustedText.Clean(huge);

        Assert.Equal(UntrustedText.MaxLength, cleaned.Length);
        Assert.EndsWith("\u2026", cleaned);
        Assert.Equal(new string('x', UntrustedText.MaxLength - 1), cleaned[..^1]);
    }

    [Theory]
    [InlineData(1024, false)]
    [InlineData(1023, false)]
    [InlineData(1025, true)]
    public void Escapes_count_towards_the_bound_and_only_a_cut_adds_the_ellipsis(int escapes, bool cut)
    {
        // Each ESC becomes four characters.
        string text = new string('\u001b', escapes / 4) + new string('y', escapes % 4);
        int expected = escapes / 4 * 4 + escapes % 4;

        string cleaned = UntrustedText.Clean(text);

        Assert.Equal(cut, cleaned.EndsWith('\u2026'));
        Assert.True(cleaned.Length <= UntrustedText.MaxLength);
        if (!cut)
        {
            Assert.Equal(expected, cleaned.Length);
        }
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        string text = "a" + string.Concat(Enumerable.Repeat("\U0001F600", 2000));

        string cleaned = UntrustedText.Clean(text);

        Assert.True(UntrustedText.IsClean(cleaned));
        Assert.False(char.IsHighSurrogate(cleaned[^2]));
    }
}
