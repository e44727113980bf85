using System.Globalization;
using System.Text;

namespace GpDaemon.Instances;

/// <summary>
/// What one instance holds while it connects or is connected: its interface and its portal and user. Kept as
/// key=value lines in the instance's runtime directory, where sibling instances read it before they connect.
/// </summary>
/// <param name="Instance">The instance name; null for the default gpdaemon.service.</param>
/// <param name="ProcessId">The daemon holding it, with <paramref name="StartTime"/> its identity (a dead one holds nothing).</param>
internal sealed record InstanceClaim(string? Instance, int ProcessId, ulong StartTime, string? Interface, string Portal, string? User)
{
    /// <summary>Claims are small; anything longer is not one of ours.</summary>
    public const int MaxBytes = 4096;

    public string Format()
    {
        var text = new StringBuilder();
        void Line(string key, string? value)
        {
            if (value is not null)
            {
                text.Append(key).Append('=').Append(Clean(value)).Append('\n');
            }
        }
        Line("instance", Instance);
        Line("pid", ProcessId.ToString(CultureInfo.InvariantCulture));
        Line("start", StartTime.ToString(CultureInfo.InvariantCulture));
        Line("interface", Interface);
        Line("portal", Portal);
        Line("user", User);
        return text.ToString();
    }

    /// <summary>Null when the text is not a complete claim.</summary>
    public static InstanceClaim? Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }
            values[line[..eq]] = line[(eq + 1)..];
        }
        if (!values.TryGetValue("pid", out string? pid) || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int processId)
            || !values.TryGetValue("start", out string? start) || !ulong.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out ulong startTime)
            || !values.TryGetValue("portal", out string? portal))
        {
            return null;
        }
        return new InstanceClaim(values.GetValueOrDefault("instance"), processId, startTime, values.GetValueOrDefault("interface"), portal, values.GetValueOrDefault("user"));
    }

    /// <summary>Why this claim and <paramref name="other"/> cannot both hold; null when they can.</summary>
    public string? ConflictWith(InstanceClaim other)
    {
        if (Interface is not null && string.Equals(Interface, other.Interface, StringComparison.Ordinal))
        {
            return $"interface {Interface}";
        }
        if (string.Equals(NormalizePortal(Portal), NormalizePortal(other.Portal), StringComparison.OrdinalIgnoreCase)
            && string.Equals(User ?? "", other.User ?? "", StringComparison.OrdinalIgnoreCase))
        {
            return User is null ? $"portal {Portal}" : $"portal {Portal} as {User}";
        }
        return null;
    }

    /// <summary>vpn.example.com, https://vpn.example.com/ and VPN.example.com are one portal.</summary>
    private static string NormalizePortal(string portal)
    {
        string p = portal.Trim();
        if (p.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            p = p["https://".Length..];
        }
        return p.TrimEnd('/');
    }

    // One value per line: no line breaks or other control characters from callers or portals.
    private static string Clean(string value) => string.Concat(value.Where(c => !char.IsControl(c)));
}
