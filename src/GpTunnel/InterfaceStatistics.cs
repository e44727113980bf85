using System.Globalization;

namespace GpTunnel;

/// <summary>Byte counters of a network interface from /sys/class/net/IF/statistics.</summary>
public static class InterfaceStatistics
{
    /// <summary>Null when the interface does not exist (or the name is not a plain interface name).</summary>
    public static (long BytesIn, long BytesOut)? Read(string iface) => Read("/sys/class/net", iface);

    internal static (long BytesIn, long BytesOut)? Read(string sysClassNet, string iface)
    {
        if (!IsInterfaceName(iface))
        {
            return null;
        }

        var dir = System.IO.Path.Combine(sysClassNet, iface, "statistics");
        var rx = ReadCounter(System.IO.Path.Combine(dir, "rx_bytes"));
        var tx = ReadCounter(System.IO.Path.Combine(dir, "tx_bytes"));
        return rx is { } i && tx is { } o ? (i, o) : null;
    }

    // Linux interface names: 1-15 bytes, no '/', no whitespace, not "." or "..".
    internal static bool IsInterfaceName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 15 && name is not "." and not ".."
        && !name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c) || c == ':');

    private static long? ReadCounter(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
