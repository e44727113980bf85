namespace GpTunnel.Wrapper;

/// <summary>POSIX shell single quoting: the result is one word whatever the input.</summary>
internal static class ShellQuote
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
