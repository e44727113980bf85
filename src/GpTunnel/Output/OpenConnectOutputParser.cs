using System.Globalization;
using System.Text.RegularExpressions;

namespace GpTunnel.Output;

/// <summary>
/// Classifies openconnect 9.x output lines (run with LC_ALL=C.UTF-8, so untranslated). Pure: no state.
/// Unknown lines are <see cref="OutputLineKind.Other"/>; the supervisor logs them as they are.
/// </summary>
internal static partial class OpenConnectOutputParser
{
    public static OutputLine Parse(string line, TimeZoneInfo localZone)
    {
        var text = line.TrimEnd('\r', '\n');
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return new OutputLine(OutputLineKind.Blank, text);
        }

        var configured = ConfiguredPattern().Match(trimmed);
        if (configured.Success)
        {
            return ParseConfigured(text, configured);
        }

        if (trimmed.StartsWith("Session authentication will expire at ", StringComparison.Ordinal))
        {
            return new OutputLine(OutputLineKind.SessionExpires, text)
            {
                Expires = ParseCTime(trimmed["Session authentication will expire at ".Length..], localZone),
            };
        }

        return new OutputLine(Classify(trimmed), text);
    }

    private static OutputLineKind Classify(string line)
    {
        if (line.StartsWith("ESP session established with server", StringComparison.Ordinal)
            || line.StartsWith("ESP tunnel connected", StringComparison.Ordinal))
        {
            return OutputLineKind.EspEstablished;
        }

        if (line.Contains("Dead Peer Detection detected dead peer", StringComparison.Ordinal)
            || line.StartsWith("ESP detected dead peer", StringComparison.Ordinal))
        {
            return OutputLineKind.DeadPeer;
        }

        if (line.StartsWith("Packet receive error", StringComparison.Ordinal))
        {
            return OutputLineKind.ConnectionLost;
        }

        if (HipCheckRequestPattern().IsMatch(line))
        {
            return OutputLineKind.HipCheckRequest;
        }

        if (line.StartsWith("GlobalProtect rekey due", StringComparison.Ordinal))
        {
            return OutputLineKind.RekeyDue;
        }

        if (ReconnectWaitPattern().IsMatch(line))
        {
            return OutputLineKind.ReconnectWait;
        }

        if (line.StartsWith("Reconnect failed", StringComparison.Ordinal))
        {
            return OutputLineKind.ReconnectFailed;
        }

        if (line.StartsWith("Cookie was rejected", StringComparison.Ordinal)
            || line.StartsWith("Cookie is no longer valid", StringComparison.Ordinal)
            || line.Contains("errors getting SSL/VPN config", StringComparison.Ordinal))
        {
            return OutputLineKind.CookieRejected;
        }

        if (line.StartsWith("User cancelled (", StringComparison.Ordinal))
        {
            return OutputLineKind.UserCancelled;
        }

        if (line.StartsWith("User detached from session (", StringComparison.Ordinal))
        {
            return OutputLineKind.UserDetached;
        }

        if (line.StartsWith("Set up tun device failed", StringComparison.Ordinal)
            || line.StartsWith("Set up tun script failed", StringComparison.Ordinal)
            || line.StartsWith("Failed to bind local tun device", StringComparison.Ordinal)
            || line.StartsWith("Failed to open tun device", StringComparison.Ordinal))
        {
            return OutputLineKind.TunSetupFailed;
        }

        if (line.StartsWith("Server SSL certificate didn't match", StringComparison.Ordinal)
            || line.StartsWith("Certificate from VPN server", StringComparison.Ordinal))
        {
            return OutputLineKind.CertificateMismatch;
        }

        if (line.StartsWith("Creating SSL connection failed", StringComparison.Ordinal)
            || line.StartsWith("Failed to connect to ", StringComparison.Ordinal)
            || line.StartsWith("Failed to open HTTPS connection to ", StringComparison.Ordinal)
            || line.StartsWith("getaddrinfo failed for host ", StringComparison.Ordinal))
        {
            return OutputLineKind.ConnectionFailed;
        }

        if (line.StartsWith("Logout successful", StringComparison.Ordinal))
        {
            return OutputLineKind.LogoutSucceeded;
        }

        if (line.StartsWith("Logout failed", StringComparison.Ordinal))
        {
            return OutputLineKind.LogoutFailed;
        }

        if (NoticePrefixes.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return OutputLineKind.Notice;
        }
        // "Unrecoverable I/O error; exiting.", "Unknown error; exiting.", "<quit reason>; exiting",
        // "Session terminated by server; exiting."
        if (line.EndsWith("; exiting.", StringComparison.Ordinal) || line.EndsWith("; exiting", StringComparison.Ordinal))
        {
            return OutputLineKind.Exiting;
        }

        return OutputLineKind.Other;
    }

    // stderr lines of a working tunnel.
    private static readonly string[] NoticePrefixes =
    [
        "No MTU received", "Potential IPv6-related GlobalProtect config tag", "Unknown GlobalProtect config tag",
        "GlobalProtect IPv6 support is experimental", "Did not receive ESP keys", "WARNING: Server asked us to submit HIP report",
        "VPN connectivity may be disabled", "Gateway address in config XML", "IPv6 gateway address in config XML",
        "Ignoring portal's HIP report interval", "Failed to connect ESP tunnel; using HTTPS instead",
        "Set up UDP failed; using SSL instead",
    ];

    private static OutputLine ParseConfigured(string text, Match match)
    {
        string? ipv4 = Empty(match.Groups["first"].Value);
        string? ipv6 = Empty(match.Groups["second"].Value);
        // An IPv6-only tunnel prints its IPv6 address alone.
        if (ipv4 is not null && ipv4.Contains(':') && ipv6 is null)
        {
            (ipv4, ipv6) = (null, ipv4);
        }

        return new OutputLine(OutputLineKind.Configured, text)
        {
            Ipv4 = ipv4,
            Ipv6 = ipv6,
            SslConnected = match.Groups["ssl"].Value == "connected",
        };
    }

    // ctime(3) format, e.g. "Wed Oct  8 09:54:32 2025" (day padded with a space), in openconnect's local time.
    internal static DateTimeOffset? ParseCTime(string value, TimeZoneInfo localZone)
    {
        var collapsed = string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!DateTime.TryParseExact(collapsed, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            return null;
        }

        return new DateTimeOffset(local, localZone.GetUtcOffset(local));
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    // "Configured as %s%s%s, with SSL%s%s %s and %s%s%s %s" (openconnect 9.x print_connection_info).
    [GeneratedRegex(@"^Configured as (?<first>[^ ,]*)(?: \+ (?<second>[^ ,]+))?, with SSL(?: \+ \S+)? (?<ssl>connected|disconnected) and ")]
    private static partial Regex ConfiguredPattern();

    [GeneratedRegex(@"^POST https://\S+/ssl-vpn/hipreportcheck\.esp$")]
    private static partial Regex HipCheckRequestPattern();

    [GeneratedRegex(@"^sleep \d+s, remaining timeout -?\d+s")]
    private static partial Regex ReconnectWaitPattern();
}
