using System.Globalization;
using System.Text;
using GpControl;

namespace GpCtl;

/// <summary>The human form of a status, as `gpctl status` prints it.</summary>
internal static class StatusFormatter
{
    public static string Format(VpnStatus status, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Line(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(CultureInfo.InvariantCulture, $"{label,-12} {value}\n");
            }
        }
        Line("State:", status.State);
        Line("Portal:", status.Portal);
        Line("Gateway:", status.Gateway is null ? null
            : status.Gateway.Name == status.Gateway.Address ? status.Gateway.Address : $"{status.Gateway.Name} ({status.Gateway.Address})");
        Line("User:", status.User);
        Line("Interface:", status.Interface);
        Line("IPv4:", status.Ipv4);
        Line("IPv6:", status.Ipv6);
        Line("DNS:", status.Dns is { Count: > 0 } dns ? string.Join(", ", dns) : null);
        Line("Domains:", status.DnsDomains is { Count: > 0 } domains ? string.Join(", ", domains) : null);
        Line("Routes:", status.Routes is { Count: > 0 } routes ? string.Join(", ", routes) : null);
        Line("Excluded:", status.ExcludedRoutes is { Count: > 0 } excluded ? string.Join(", ", excluded) : null);
        if (status.ConnectedSince is { } since
            && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset start))
        {
            Line("Since:", $"{since} ({Duration(now - start)})");
        }
        if (status.BytesIn is long bytesIn && status.BytesOut is long bytesOut)
        {
            Line("Traffic:", $"{Bytes(bytesIn)} in, {Bytes(bytesOut)} out");
        }
        Line("HIP report:", status.HipReport);
        Line("openconnect:", status.OpenconnectPid is int pid ? $"pid {pid}" : null);
        Line("Prompt:", status.Prompt?.Message);
        Line("Message:", status.Message);
        return text.ToString();
    }

    private const string InstanceColumns = "{0,-16} {1,-14} {2,-15} {3,-28} {4}\n";

    public static string InstanceHeader() =>
        string.Format(CultureInfo.InvariantCulture, InstanceColumns, "INSTANCE", "STATE", "INTERFACE", "PORTAL", "IPV4");

    /// <summary>One instance in `gpctl status --all`; <paramref name="problem"/> when it could not be asked.</summary>
    public static string InstanceLine(string instance, VpnStatus? status, string? problem) =>
        string.Format(CultureInfo.InvariantCulture, InstanceColumns, instance, status?.State ?? problem ?? "-",
            status?.Interface ?? "-", status?.Portal ?? "-", status?.Ipv4 ?? "-");

    /// <summary>{"instance": ..., "status": {...}} or {"instance": ..., "error": ...}.</summary>
    public static string InstanceJson(string instance, VpnStatus? status, string? problem)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("instance", instance);
            if (status is not null)
            {
                writer.WritePropertyName("status");
                System.Text.Json.JsonSerializer.Serialize(writer, status, ControlJsonContext.Default.VpnStatus);
            }
            else
            {
                writer.WriteString("error", problem);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s");
    }

    public static string Bytes(long count)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = count;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{count} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
