using System.Text;
using GpDaemon.Logging;

namespace GpDaemon.Tests.Logging;

public sealed class JournalEntryTests
{
    [Theory]
    [InlineData("MESSAGE", "MESSAGE")]
    [InlineData("Portal", "PORTAL")]
    [InlineData("EventId", "EVENT_ID")]
    [InlineData("SourceContext", "SOURCE_CONTEXT")]
    [InlineData("OpenconnectPid", "OPENCONNECT_PID")]
    [InlineData("exit_code", "EXIT_CODE")]
    [InlineData("http.status-code", "HTTP_STATUS_CODE")]
    [InlineData("_SYSTEMD_UNIT", "SYSTEMD_UNIT")] // leading underscores are journald's own (trusted) fields
    [InlineData("2fa", "F_2FA")]
    [InlineData("Größe", "GR__E")]
    public void Field_names_are_mapped_to_what_journald_accepts(string name, string field)
    {
        Assert.Equal(field, JournalEntry.FieldName(name));
    }

    [Fact]
    public void Field_names_are_at_most_64_characters()
    {
        Assert.Equal(new string('A', 64), JournalEntry.FieldName(new string('a', 100)));
    }

    [Theory]
    [InlineData("x", 10_000)]
    [InlineData("\u00e9", 10_000)] // two bytes each
    [InlineData("\u20ac", 10_000)] // three bytes each
    [InlineData("\U0001F600", 10_000)] // four bytes, a surrogate pair
    public void A_long_value_is_cut_on_a_character_boundary_with_an_ellipsis(string unit, int count)
    {
        string value = string.Concat(Enumerable.Repeat(unit, count));

        byte[] bounded = JournalEntry.Bounded(value, 1000);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bounded);

        Assert.True(bounded.Length <= 1000, $"{bounded.Length} bytes");
        Assert.True(bounded.Length > 990, $"{bounded.Length} bytes");
        Assert.EndsWith("\u2026", text);
        Assert.StartsWith(text[..^1], value);
    }

    [Fact]
    public void A_short_value_stays_whole_and_an_entry_never_grows_past_its_bound()
    {
        Assert.Equal("short"u8.ToArray(), JournalEntry.Bounded("short", 1000));

        var entry = new JournalEntry().Add("MESSAGE", new string('m', 100_000), JournalEntry.MaxMessageBytes);
        for (int i = 0; i < 100; i++)
        {
            entry.Add("FIELD" + i, new string('v', 100_000));
        }

        Assert.True(entry.Length <= JournalEntry.MaxEntryBytes, $"{entry.Length} bytes");
        Assert.StartsWith("MESSAGE=mmm", Encoding.UTF8.GetString(entry.Bytes.Span));
    }

    [Fact]
    public void A_single_line_value_is_name_equals_value()
    {
        var entry = new JournalEntry().Add("MESSAGE", "hello world").Add("Portal", "vpn.example.com");

        Assert.Equal("MESSAGE=hello world\nPORTAL=vpn.example.com\n", Encoding.UTF8.GetString(entry.Bytes.Span));
        Assert.Equal(entry.Bytes.Length, entry.Length);
    }

    [Fact]
    public void A_multi_line_value_is_sent_with_its_byte_length_as_64_bit_little_endian()
    {
        var entry = new JournalEntry().Add("MESSAGE", "é\nx");

        byte[] expected = [.. "MESSAGE\n"u8, 4, 0, 0, 0, 0, 0, 0, 0, .. "é\nx"u8, (byte)'\n'];
        Assert.Equal(expected, entry.Bytes.ToArray());
    }

    [Fact]
    public void A_value_with_an_equals_sign_stays_whole()
    {
        var entry = new JournalEntry().Add("QUERY", "a=b=c");

        Assert.Equal("a=b=c", JournalFields.Parse(entry.Bytes.Span).Single("QUERY"));
    }

    [Fact]
    public void A_name_with_nothing_usable_is_left_out()
    {
        var entry = new JournalEntry().Add("___", "x").Add("MESSAGE", "kept");

        Assert.Equal("MESSAGE=kept\n", Encoding.UTF8.GetString(entry.Bytes.Span));
    }

    [Fact]
    public void Mixed_fields_parse_back_in_order()
    {
        var entry = new JournalEntry()
            .Add("MESSAGE", "line one\nline two")
            .Add("PRIORITY", "3")
            .Add("Reason", "")
            .Add("Trace", "at A()\nat B()\n");

        List<KeyValuePair<string, string>> fields = JournalFields.Parse(entry.Bytes.Span);

        Assert.Equal(
            [new("MESSAGE", "line one\nline two"), new("PRIORITY", "3"), new("REASON", ""), new("TRACE", "at A()\nat B()\n")],
            fields);
    }
}
