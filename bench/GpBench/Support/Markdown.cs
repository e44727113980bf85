using System.Globalization;
using System.Text;

namespace GpBench.Support;

/// <summary>The report: Markdown tables, numbers in the invariant culture.</summary>
internal sealed class Markdown
{
    private readonly StringBuilder _text = new();

    public Markdown Line(string line = "")
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public Markdown Heading(string title) => Line().Line("### " + title).Line();

    public Markdown Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Line("| " + string.Join(" | ", header) + " |");
        Line("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (IReadOnlyList<string> row in rows)
        {
            Line("| " + string.Join(" | ", row) + " |");
        }
        return this;
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : ms < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    public static string MiB(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Verdict(bool met) => met ? "met" : "**missed**";

    public override string ToString() => _text.ToString();
}
