namespace GpDaemon.Backend;

/// <summary>Which program writes the host-information report: <c>[client] hip_script</c>, or Debian's by default.</summary>
internal static class HipScript
{
    /// <summary>The script Debian's openconnect package installs for its --csd-wrapper.</summary>
    public const string DebianDefault = "/usr/libexec/openconnect/hipreport.sh";

    /// <summary>
    /// The script to run, or null for the built-in report: <paramref name="configured"/> when set, none when it is empty,
    /// else Debian's when it is installed (looked for at each report, so installing openconnect later is enough).
    /// </summary>
    public static string? Choose(string? configured) => configured switch
    {
        null => File.Exists(DebianDefault) ? DebianDefault : null,
        "" => null,
        _ => configured,
    };

    /// <summary>
    /// The script's arguments, as openconnect passes them to its --csd-wrapper for GlobalProtect. <c>--cookie</c> holds
    /// only the cookie's user, domain and computer (all hipreport.sh reads of it), never its authcookie: an argument
    /// is readable by every local user in /proc.
    /// </summary>
    public static IReadOnlyList<string> Arguments(GlobalProtect.HipReportFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var arguments = new List<string> { "--cookie", facts.IdentityCookie, "--client-ip", facts.ClientIp };
        if (facts.ClientIpv6 is { Length: > 0 } ipv6)
        {
            arguments.AddRange(["--client-ipv6", ipv6]);
        }
        arguments.AddRange(["--md5", facts.Md5, "--client-os", facts.ClientOs]);
        return arguments;
    }
}
