using System.Globalization;
using GpTunnel.Wrapper;

namespace GpTunnel.Launch;

/// <summary>The argv and environment of an openconnect run. Pure, so tests can check them directly.</summary>
internal static class OpenConnectCommandLine
{
    public const string WrapperFileName = "vpnc-wrapper.sh";

    /// <summary>Variables the child must not see: systemd's notify/watchdog/socket-activation/credential
    /// plumbing belongs to the daemon, and the journal stream is not openconnect's stderr.</summary>
    public static readonly IReadOnlySet<string> RemovedEnvironment = new HashSet<string>(StringComparer.Ordinal)
    {
        "NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
        "JOURNAL_STREAM", "CREDENTIALS_DIRECTORY", "LANGUAGE", "LC_ALL",
    };

    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string WrapperPath(string runtimeDirectory) => System.IO.Path.Combine(runtimeDirectory, WrapperFileName);

    /// <summary>openconnect hands --script to `/bin/sh -c`; exec makes the wrapper openconnect's direct child,
    /// which the --script-tun handler relies on to notice openconnect's death.</summary>
    public static string ScriptCommand(string wrapperPath) => "exec " + ShellQuote.Quote(wrapperPath);

    public static IReadOnlyList<string> Build(OpenConnectOptions options, TunnelStartInfo start, string wrapperPath)
    {
        List<string> argv = [options.Path, "--protocol=gp", "--cookie-on-stdin", "--non-inter"];
        if (!string.IsNullOrEmpty(start.ServerCert))
        {
            argv.AddRange(["--servercert", start.ServerCert]);
        }
        // --cafile alone adds to the system's CAs; cafile replaces them, for the tunnel as for the daemon's own login.
        if (!string.IsNullOrEmpty(start.CaFile))
        {
            argv.AddRange(["--no-system-trust", "--cafile", start.CaFile]);
        }

        argv.AddRange(["--script", ScriptCommand(wrapperPath)]);
        if (options.ScriptTun)
        {
            argv.Add("--script-tun");
        }

        if (!string.IsNullOrEmpty(options.Interface))
        {
            argv.AddRange(["--interface", options.Interface]);
        }

        if (options.Mtu is { } mtu)
        {
            argv.AddRange(["--mtu", mtu.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.DeadPeerInterval is { } dpd)
        {
            argv.Add("--force-dpd=" + Math.Max(1, (int)Math.Ceiling(dpd.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(start.ClientOs))
        {
            argv.AddRange(["--os", start.ClientOs]);
        }

        argv.AddRange(options.ExtraArgs);
        // "--" so that no gateway string can be taken for an option.
        argv.AddRange(["--", start.Gateway]);
        return argv;
    }

    /// <summary>The daemon's environment minus <see cref="RemovedEnvironment"/>, with untranslated messages
    /// (the output parser reads English) and a PATH for the vpnc-script.</summary>
    public static IReadOnlyList<string> Environment(IEnumerable<KeyValuePair<string, string?>> current)
    {
        var result = new List<string>();
        var hasPath = false;
        foreach (var (name, value) in current)
        {
            if (value is null || name.Length == 0 || name.Contains('=') || RemovedEnvironment.Contains(name))
            {
                continue;
            }

            if (name == "PATH")
            {
                hasPath = true;
            }

            result.Add($"{name}={value}");
        }
        if (!hasPath)
        {
            result.Add("PATH=" + DefaultPath);
        }

        result.Add("LC_ALL=C.UTF-8");
        return result;
    }

    public static IEnumerable<KeyValuePair<string, string?>> CurrentEnvironment()
    {
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
        }
    }
}
