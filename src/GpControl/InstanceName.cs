using System.Security.Cryptography;
using System.Text;

namespace GpControl;

/// <summary>
/// Names of gpdaemon instances (gpdaemon@NAME.service): each has /etc/gpdaemon/NAME.toml, /run/gpdaemon/NAME/ and
/// /var/lib/gpdaemon/NAME/. The name becomes a file name and part of an interface name, so it is kept to a safe subset
/// of systemd's instance names.
/// </summary>
public static class InstanceName
{
    public const int MaxLength = 64;
    public const string EnvironmentVariable = "GPDAEMON_INSTANCE";

    /// <summary>How the instance of the plain gpdaemon.service is shown.</summary>
    public const string Default = "default";

    // Linux interface names hold 15 bytes (IFNAMSIZ less the NUL).
    private const int MaxInterfaceLength = 15;
    private const string InterfacePrefix = "gp-";

    /// <summary>Null when <paramref name="name"/> is a valid instance name, else why not.</summary>
    public static string? Validate(string name)
    {
        if (name.Length == 0)
        {
            return "the instance name is empty";
        }
        if (name.Length > MaxLength)
        {
            return $"the instance name is longer than {MaxLength} characters";
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return "an instance name may hold only letters, digits, '-', '_' and '.'";
            }
        }
        if (name[0] is '.' or '-')
        {
            return "an instance name may not start with '.' or '-'";
        }
        // "tunnel" is the default instance's openconnect directory in /run/gpdaemon, "gpdaemon" its config file.
        if (name is "tunnel" or "gpdaemon" or Default)
        {
            return $"'{name}' is reserved for the default instance (gpdaemon.service)";
        }
        return null;
    }

    /// <summary>The interface an instance's tunnel gets unless its config names one: gp-NAME, shortened to fit.</summary>
    public static string DefaultInterface(string name)
    {
        string whole = InterfacePrefix + name;
        if (whole.Length <= MaxInterfaceLength)
        {
            return whole;
        }
        // Two long names that share a prefix still get different interfaces.
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..4];
        return whole[..(MaxInterfaceLength - hash.Length - 1)] + "-" + hash;
    }

    /// <summary>How messages name an instance: the unit an administrator would look at.</summary>
    public static string Describe(string? name) =>
        name is null ? "the default instance (gpdaemon.service)" : $"instance '{name}' (gpdaemon@{name}.service)";
}
