using Tomlyn;
using Tomlyn.Model;

namespace GpDaemon.Config;

/// <summary>Reads gpdaemon.toml into <see cref="DaemonConfig"/>, with errors that name the key and what it must be.</summary>
internal static class ConfigReader
{
    public static DaemonConfig Load(string path) => Load(path, out _);

    /// <summary>Reads the file; <paramref name="warnings"/> says what was ignored or assumed (for the log).</summary>
    public static DaemonConfig Load(string path, out IReadOnlyList<string> warnings)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            warnings = [$"no configuration file at {path}; using the defaults"];
            return new DaemonConfig();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: {ex.Message}");
        }
        try
        {
            DaemonConfig config = Parse(text, out IReadOnlyList<string> unknown);
            warnings = [.. unknown.Select(key => $"{path}: unknown setting '{key}' ignored")];
            return config;
        }
        catch (ConfigException ex)
        {
            throw new ConfigException($"{path}: {ex.Message}");
        }
    }

    /// <summary>Parses TOML text. Unknown keys are not an error (a newer config on an older daemon) but are reported.</summary>
    public static DaemonConfig Parse(string text, out IReadOnlyList<string> unknownKeys)
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, ConfigTomlContext.Default) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new ConfigException(ex.Message);
        }
        var unknown = new List<string>();
        var t = new TableReader(root, "", unknown);
        var defaults = new DaemonConfig();
        var config = new DaemonConfig
        {
            Portal = t.String("portal"),
            User = t.String("user"),
            Gateway = t.String("gateway"),
            Autoconnect = t.Bool("autoconnect") ?? false,
            PasswordFile = t.String("password_file"),
            ServerCert = t.String("servercert"),
            CaFile = t.String("cafile"),
            ControlGroup = t.String("control_group") ?? defaults.ControlGroup,
            LogLevel = t.OneOf("log_level", ["debug", "info", "warning", "error"]) ?? defaults.LogLevel,
            Client = ReadClient(t.Table("client")),
            OpenConnect = ReadOpenConnect(t.Table("openconnect")),
            Control = ReadControl(t.Table("control")),
            Reconnect = ReadReconnect(t.Table("reconnect")),
            Routes = ReadRoutes(t.Table("routes")),
            Dns = ReadDns(t.Table("dns")),
        };
        t.ReportUnread();
        if (config.Autoconnect && config.Portal is null)
        {
            throw new ConfigException("autoconnect = true needs a portal");
        }
        if (config.ServerCert is not null && !config.ServerCert.StartsWith("pin-sha256:", StringComparison.Ordinal))
        {
            throw new ConfigException("servercert must look like \"pin-sha256:BASE64\" (as openconnect --servercert takes it)");
        }
        unknownKeys = unknown;
        return config;
    }

    private static ClientSettings ReadClient(TableReader t)
    {
        var d = new ClientSettings();
        var result = new ClientSettings
        {
            Os = t.OneOf("os", ["Linux", "Windows", "Mac"]) ?? d.Os,
            Version = t.String("version") ?? d.Version,
            Computer = t.String("computer"),
            UserAgent = t.String("user_agent") ?? d.UserAgent,
            RequestTimeout = t.Seconds("request_timeout") ?? d.RequestTimeout,
            SignInTimeout = t.Seconds("sign_in_timeout") ?? d.SignInTimeout,
            HipReport = t.Bool("hip_report") ?? d.HipReport,
            HipScript = t.String("hip_script", keepEmpty: true),
        };
        t.ReportUnread();
        if (result.HipScript is { Length: > 0 } script && !Path.IsPathFullyQualified(script))
        {
            throw new ConfigException($"client.hip_script = \"{GpText.UntrustedText.Clean(script, 200)}\" must be an absolute path, or \"\" for the built-in report");
        }
        return result;
    }

    private static OpenConnectSettings ReadOpenConnect(TableReader t)
    {
        var d = new OpenConnectSettings();
        var result = new OpenConnectSettings
        {
            Path = t.String("path") ?? d.Path,
            Script = t.String("script") ?? d.Script,
            Interface = t.String("interface"),
            Mtu = t.Int("mtu", 576, 65535),
            ScriptTun = t.Bool("script_tun") ?? false,
            TunHandler = t.String("tun_handler"),
            ExtraArgs = t.StringArray("extra_args") ?? [],
            StopTimeout = t.Seconds("stop_timeout") ?? d.StopTimeout,
            DeadPeerInterval = t.Int("dpd", 5, 3600) is { } dpd ? TimeSpan.FromSeconds(dpd) : d.DeadPeerInterval,
        };
        t.ReportUnread();
        return result;
    }

    private static ControlSettings ReadControl(TableReader t)
    {
        var d = new ControlSettings();
        var result = new ControlSettings
        {
            MaxConnections = t.Int("max_connections", 1, 100_000) ?? d.MaxConnections,
            MaxConnectionsPerUser = t.Int("max_connections_per_user", 1, 100_000) ?? d.MaxConnectionsPerUser,
            MaxMessageBytes = t.Int("max_message_bytes", 1024, 16 * 1024 * 1024) ?? d.MaxMessageBytes,
            IdleTimeout = t.Seconds("idle_timeout") ?? d.IdleTimeout,
            WriteTimeout = t.Seconds("write_timeout") ?? d.WriteTimeout,
        };
        t.ReportUnread();
        return result;
    }

    private static ReconnectSettings ReadReconnect(TableReader t)
    {
        var d = new ReconnectSettings();
        var result = new ReconnectSettings
        {
            InitialDelay = t.Seconds("initial_delay") ?? d.InitialDelay,
            MaxDelay = t.Seconds("max_delay") ?? d.MaxDelay,
        };
        t.ReportUnread();
        return result;
    }

    private static RouteSettings ReadRoutes(TableReader t)
    {
        var result = new RouteSettings
        {
            Include = t.Networks("include"),
            Exclude = t.Networks("exclude") ?? [],
        };
        t.ReportUnread();
        if (result.Include is { Count: 0 })
        {
            throw new ConfigException("routes.include = [] would send nothing through the tunnel: list networks, or leave the key out to use the gateway's");
        }
        return result;
    }

    private static DnsSettings ReadDns(TableReader t)
    {
        var result = new DnsSettings { SplitDomains = t.DomainNames("split_domains") ?? [] };
        t.ReportUnread();
        return result;
    }

    private sealed class TableReader(TomlTable table, string prefix, List<string> unknown)
    {
        private readonly HashSet<string> _read = [];

        public string? String(string key) => String(key, keepEmpty: false);

        /// <summary>
        /// A string. "" means "not set", as the example config writes it, unless <paramref name="keepEmpty"/>: then it
        /// is a value with a meaning of its own.
        /// </summary>
        public string? String(string key, bool keepEmpty) => Get(key) switch
        {
            null => null,
            string s when s.Length == 0 && !keepEmpty => null,
            string s => s,
            var other => throw Wrong(key, "a string", other),
        };

        public bool? Bool(string key) => Get(key) switch
        {
            null => null,
            bool b => b,
            var other => throw Wrong(key, "true or false", other),
        };

        public int? Int(string key, int min, int max) => Get(key) switch
        {
            null => null,
            long n when n >= min && n <= max => (int)n,
            long n => throw new ConfigException($"{prefix}{key} = {n} is out of range ({min} to {max})"),
            var other => throw Wrong(key, "an integer", other),
        };

        public TimeSpan? Seconds(string key) => Get(key) switch
        {
            null => null,
            long n when n > 0 => TimeSpan.FromSeconds(n),
            double d when d > 0 => TimeSpan.FromSeconds(d),
            var other => throw Wrong(key, "a positive number of seconds", other),
        };

        public string? OneOf(string key, string[] allowed)
        {
            string? value = String(key);
            if (value is null)
            {
                return null;
            }
            string? match = Array.Find(allowed, a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
            return match ?? throw new ConfigException($"{prefix}{key} = \"{value}\" is not one of {string.Join(", ", allowed)}");
        }

        public IReadOnlyList<string>? StringArray(string key)
        {
            object? value = Get(key);
            if (value is null)
            {
                return null;
            }
            if (value is not TomlArray array)
            {
                throw Wrong(key, "an array of strings", value);
            }
            var list = new List<string>(array.Count);
            foreach (object? item in array)
            {
                list.Add(item as string ?? throw Wrong(key, "an array of strings", item));
            }
            return list;
        }

        /// <summary>An array of networks in CIDR form, IPv4 or IPv6.</summary>
        public IReadOnlyList<System.Net.IPNetwork>? Networks(string key)
        {
            IReadOnlyList<string>? texts = StringArray(key);
            if (texts is null)
            {
                return null;
            }
            var networks = new List<System.Net.IPNetwork>(texts.Count);
            foreach (string text in texts)
            {
                networks.Add(GpTunnel.SplitRoutes.TryParseNetwork(text) ?? throw new ConfigException(
                    $"{prefix}{key}: \"{text}\" is not a network in CIDR form (like 10.1.0.0/16 or fd00:1::/48, with no host bits set)"));
            }
            return networks;
        }

        /// <summary>An array of DNS names ("corp.example"): letters, digits and hyphens between dots.</summary>
        public IReadOnlyList<string>? DomainNames(string key)
        {
            IReadOnlyList<string>? names = StringArray(key);
            foreach (string name in names ?? [])
            {
                if (!IsDomainName(name))
                {
                    throw new ConfigException($"{prefix}{key}: \"{name}\" is not a DNS domain name (like corp.example)");
                }
            }
            return names;
        }

        private static bool IsDomainName(string name) =>
            name.Length is > 0 and <= 253
            && name.TrimEnd('.').Split('.').All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                && label[0] != '-' && label[^1] != '-');

        public TableReader Table(string key) => Get(key) switch
        {
            null => new TableReader(new TomlTable(), $"{prefix}{key}.", unknown),
            TomlTable t => new TableReader(t, $"{prefix}{key}.", unknown),
            var other => throw Wrong(key, "a table", other),
        };

        public void ReportUnread()
        {
            foreach (KeyValuePair<string, object> pair in table)
            {
                if (!_read.Contains(pair.Key))
                {
                    unknown.Add(prefix + pair.Key);
                }
            }
        }

        private object? Get(string key)
        {
            _read.Add(key);
            return table.TryGetValue(key, out object? value) ? value : null;
        }

        private ConfigException Wrong(string key, string expected, object? actual) =>
            new($"{prefix}{key} must be {expected}, not {Describe(actual)}");

        private static string Describe(object? value) => value switch
        {
            string s => $"\"{s}\"",
            bool b => b ? "true" : "false",
            long or double => $"the number {value}",
            TomlTable => "a table",
            TomlArray => "an array",
            null => "nothing",
            _ => value.GetType().Name,
        };
    }
}
