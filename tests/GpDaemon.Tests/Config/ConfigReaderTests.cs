using GpDaemon.Config;

namespace GpDaemon.Tests.Config;

public sealed class ConfigReaderTests
{
    private static DaemonConfig Parse(string toml) => ConfigReader.Parse(toml, out _);

    private static string ErrorOf(string toml) => Assert.Throws<ConfigException>(() => Parse(toml)).Message;

    [Fact]
    public void An_empty_file_gives_every_default()
    {
        DaemonConfig config = ConfigReader.Parse("", out IReadOnlyList<string> unknown);

        Assert.Empty(unknown);
        Assert.Null(config.Portal);
        Assert.False(config.Autoconnect);
        Assert.Equal("gpdaemon", config.ControlGroup);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal("/usr/sbin/openconnect", config.OpenConnect.Path);
        Assert.Equal("/usr/share/vpnc-scripts/vpnc-script", config.OpenConnect.Script);
        Assert.Equal(TimeSpan.FromSeconds(30), config.OpenConnect.DeadPeerInterval);
        Assert.Equal(128, config.Control.MaxConnections);
        Assert.Equal(64 * 1024, config.Control.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), config.Reconnect.InitialDelay);
        Assert.Equal("Linux", config.Client.Os);
    }

    [Fact]
    public void Every_key_is_read()
    {
        const string toml = """
            portal = "vpn.example.com"
            user = "alice"
            gateway = "US East"
            autoconnect = true
            password_file = "/etc/gpdaemon/password"
            servercert = "pin-sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            cafile = "/etc/ssl/corp.pem"
            control_group = "vpnusers"
            log_level = "DEBUG"

            [client]
            os = "windows"
            version = "6.1.0"
            computer = "laptop-7"
            user_agent = "GlobalProtect/6.1"
            request_timeout = 12.5

            [openconnect]
            path = "/opt/oc/openconnect"
            script = "/etc/vpnc/vpnc-script"
            interface = "gp0"
            mtu = 1300
            script_tun = true
            tun_handler = "/usr/libexec/gpdaemon/tun"
            extra_args = ["--no-dtls", "-v"]
            stop_timeout = 4
            dpd = 15

            [control]
            max_connections = 16
            max_message_bytes = 8192
            idle_timeout = 30
            write_timeout = 2

            [reconnect]
            initial_delay = 2
            max_delay = 120
            """;

        DaemonConfig config = ConfigReader.Parse(toml, out IReadOnlyList<string> unknown);

        Assert.Empty(unknown);
        Assert.Equal("vpn.example.com", config.Portal);
        Assert.Equal("alice", config.User);
        Assert.Equal("US East", config.Gateway);
        Assert.True(config.Autoconnect);
        Assert.Equal("/etc/gpdaemon/password", config.PasswordFile);
        Assert.Equal("pin-sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", config.ServerCert);
        Assert.Equal("/etc/ssl/corp.pem", config.CaFile);
        Assert.Equal("vpnusers", config.ControlGroup);
        Assert.Equal("debug", config.LogLevel);
        Assert.Equal("Windows", config.Client.Os);
        Assert.Equal("6.1.0", config.Client.Version);
        Assert.Equal("laptop-7", config.Client.Computer);
        Assert.Equal("GlobalProtect/6.1", config.Client.UserAgent);
        Assert.Equal(TimeSpan.FromSeconds(12.5), config.Client.RequestTimeout);
        Assert.Equal("/opt/oc/openconnect", config.OpenConnect.Path);
        Assert.Equal("/etc/vpnc/vpnc-script", config.OpenConnect.Script);
        Assert.Equal("gp0", config.OpenConnect.Interface);
        Assert.Equal(1300, config.OpenConnect.Mtu);
        Assert.True(config.OpenConnect.ScriptTun);
        Assert.Equal("/usr/libexec/gpdaemon/tun", config.OpenConnect.TunHandler);
        Assert.Equal(["--no-dtls", "-v"], config.OpenConnect.ExtraArgs);
        Assert.Equal(TimeSpan.FromSeconds(4), config.OpenConnect.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), config.OpenConnect.DeadPeerInterval);
        Assert.Equal(16, config.Control.MaxConnections);
        Assert.Equal(8192, config.Control.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Control.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Control.WriteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Reconnect.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Reconnect.MaxDelay);
    }

    [Fact]
    public void Empty_strings_mean_not_set_as_the_example_config_writes_them()
    {
        DaemonConfig config = Parse("""
            portal = ""
            servercert = ""
            control_group = ""
            [openconnect]
            interface = ""
            path = ""
            """);

        Assert.Null(config.Portal);
        Assert.Null(config.ServerCert);
        Assert.Equal("gpdaemon", config.ControlGroup);
        Assert.Null(config.OpenConnect.Interface);
        Assert.Equal("/usr/sbin/openconnect", config.OpenConnect.Path);
    }

    [Theory]
    [InlineData("portal = 5", "portal must be a string, not the number 5")]
    [InlineData("user = true", "user must be a string, not true")]
    [InlineData("gateway = [\"a\"]", "gateway must be a string, not an array")]
    [InlineData("autoconnect = \"yes\"", "autoconnect must be true or false, not \"yes\"")]
    [InlineData("password_file = 1", "password_file must be a string")]
    [InlineData("cafile = false", "cafile must be a string")]
    [InlineData("control_group = 0", "control_group must be a string")]
    [InlineData("log_level = \"loud\"", "log_level = \"loud\" is not one of debug, info, warning, error")]
    [InlineData("client = 1", "client must be a table, not the number 1")]
    [InlineData("[client]\nos = \"BeOS\"", "client.os = \"BeOS\" is not one of Linux, Windows, Mac")]
    [InlineData("[client]\nrequest_timeout = 0", "client.request_timeout must be a positive number of seconds, not the number 0")]
    [InlineData("[client]\nrequest_timeout = \"30s\"", "client.request_timeout must be a positive number of seconds, not \"30s\"")]
    [InlineData("[openconnect]\nmtu = 100", "openconnect.mtu = 100 is out of range (576 to 65535)")]
    [InlineData("[openconnect]\nmtu = 1300.5", "openconnect.mtu must be an integer, not the number 1300.5")]
    [InlineData("[openconnect]\nscript_tun = 1", "openconnect.script_tun must be true or false, not the number 1")]
    [InlineData("[openconnect]\nextra_args = \"--no-dtls\"", "openconnect.extra_args must be an array of strings, not \"--no-dtls\"")]
    [InlineData("[openconnect]\nextra_args = [\"-v\", 3]", "openconnect.extra_args must be an array of strings, not the number 3")]
    [InlineData("[openconnect]\nstop_timeout = -1", "openconnect.stop_timeout must be a positive number of seconds, not the number -1")]
    [InlineData("[openconnect]\ndpd = 0", "openconnect.dpd = 0 is out of range (5 to 3600)")]
    [InlineData("[openconnect]\ndpd = 2.5", "openconnect.dpd must be an integer, not the number 2.5")]
    [InlineData("[control]\nmax_connections = 0", "control.max_connections = 0 is out of range (1 to 100000)")]
    [InlineData("[control]\nmax_message_bytes = 10", "control.max_message_bytes = 10 is out of range (1024 to 16777216)")]
    [InlineData("[control]\nidle_timeout = true", "control.idle_timeout must be a positive number of seconds, not true")]
    [InlineData("[reconnect]\nmax_delay = {}", "reconnect.max_delay must be a positive number of seconds, not a table")]
    [InlineData("[routes]\ninclude = [\"10.1.0.0/33\"]", "routes.include: \"10.1.0.0/33\" is not a network in CIDR form")]
    [InlineData("[routes]\ninclude = [\"10.1.2.3/16\"]", "routes.include: \"10.1.2.3/16\" is not a network in CIDR form")]
    [InlineData("[routes]\nexclude = [\"10.1.5.0\"]", "routes.exclude: \"10.1.5.0\" is not a network in CIDR form")]
    [InlineData("[routes]\nexclude = [\"fd00::1::/48\"]", "routes.exclude: \"fd00::1::/48\" is not a network in CIDR form")]
    [InlineData("[routes]\ninclude = \"10.1.0.0/16\"", "routes.include must be an array of strings")]
    [InlineData("[routes]\ninclude = []", "routes.include = [] would send nothing through the tunnel")]
    [InlineData("[dns]\nsplit_domains = [\"corp example\"]", "dns.split_domains: \"corp example\" is not a DNS domain name")]
    [InlineData("[dns]\nsplit_domains = [\"-corp.example\"]", "dns.split_domains: \"-corp.example\" is not a DNS domain name")]
    [InlineData("[dns]\nsplit_domains = [\"corp..example\"]", "dns.split_domains: \"corp..example\" is not a DNS domain name")]
    public void A_wrong_value_is_reported_with_its_key(string toml, string message)
    {
        Assert.StartsWith(message, ErrorOf(toml));
    }

    [Fact]
    public void Split_routes_are_read_in_both_families()
    {
        DaemonConfig config = ConfigReader.Parse("""
            [routes]
            include = ["10.1.0.0/16", "192.168.50.0/24", "fd00:1::/48"]
            exclude = ["10.1.5.0/24"]
            """, out _);

        Assert.Equal(["10.1.0.0/16", "192.168.50.0/24", "fd00:1::/48"], config.Routes.Include!.Select(n => n.ToString()));
        Assert.Equal(["10.1.5.0/24"], config.Routes.Exclude.Select(n => n.ToString()));
        Assert.Null(new DaemonConfig().Routes.Include);
    }

    [Fact]
    public void Split_dns_domains_are_read()
    {
        DaemonConfig config = ConfigReader.Parse("[dns]\nsplit_domains = [\"corp.example\", \"lab.corp.example.\"]", out _);

        Assert.Equal(["corp.example", "lab.corp.example."], config.Dns.SplitDomains);
    }

    [Fact]
    public void Hip_report_is_on_unless_turned_off()
    {
        Assert.True(new DaemonConfig().Client.HipReport);
        Assert.False(ConfigReader.Parse("[client]\nhip_report = false", out _).Client.HipReport);
    }

    [Fact]
    public void Hip_script_is_unset_by_default_empty_for_the_built_in_report_or_an_absolute_path()
    {
        Assert.Null(Parse("").Client.HipScript);
        Assert.Equal("", Parse("[client]\nhip_script = \"\"").Client.HipScript);
        Assert.Equal("/usr/local/libexec/hip.sh", Parse("[client]\nhip_script = \"/usr/local/libexec/hip.sh\"").Client.HipScript);
        Assert.Equal("client.hip_script = \"hip.sh\" must be an absolute path, or \"\" for the built-in report",
            ErrorOf("[client]\nhip_script = \"hip.sh\""));
        Assert.Contains("client.hip_script must be a string", ErrorOf("[client]\nhip_script = true"));
    }

    [Fact]
    public void Invalid_toml_is_a_config_error()
    {
        Assert.Throws<ConfigException>(() => Parse("portal = \"unterminated"));
    }

    [Fact]
    public void Unknown_keys_are_reported_with_their_table_but_are_not_an_error()
    {
        DaemonConfig config = ConfigReader.Parse("""
            portal = "vpn.example.com"
            colour = "blue"
            [openconnect]
            mtu = 1400
            dtls = false
            [control]
            [future]
            x = 1
            """, out IReadOnlyList<string> unknown);

        Assert.Equal(["colour", "future", "openconnect.dtls"], unknown.Order(StringComparer.Ordinal));
        Assert.Equal("vpn.example.com", config.Portal);
        Assert.Equal(1400, config.OpenConnect.Mtu);
    }

    [Fact]
    public void Autoconnect_without_a_portal_is_an_error()
    {
        Assert.Equal("autoconnect = true needs a portal", ErrorOf("autoconnect = true"));
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("sha1:0123456789abcdef")]
    [InlineData("pin-sha1:AAAA")]
    [InlineData("sha256:0123456789abcdef")]
    public void A_server_certificate_pin_in_another_syntax_is_an_error(string pin)
    {
        Assert.Contains("servercert", ErrorOf($"servercert = \"{pin}\""));
    }

    [Fact]
    public void A_server_certificate_pin_in_openconnect_syntax_is_accepted()
    {
        Assert.Equal("pin-sha256:AAAA", Parse("servercert = \"pin-sha256:AAAA\"").ServerCert);
    }

    [Fact]
    public void A_missing_file_gives_every_default()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gpdaemon-missing-{Guid.NewGuid():N}", "gpdaemon.toml");

        Assert.Equal(new DaemonConfig().ControlGroup, ConfigReader.Load(path).ControlGroup);
        Assert.Null(ConfigReader.Load(path).Portal);
    }

    [Fact]
    public void Errors_from_a_file_name_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gpdaemon-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "[control]\nmax_connections = \"many\"\n");
        try
        {
            var ex = Assert.Throws<ConfigException>(() => ConfigReader.Load(path));

            Assert.Equal($"{path}: control.max_connections must be an integer, not \"many\"", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_is_read()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gpdaemon-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "portal = \"vpn.example.com\"\n[reconnect]\ninitial_delay = 0.25\n");
        try
        {
            DaemonConfig config = ConfigReader.Load(path);

            Assert.Equal("vpn.example.com", config.Portal);
            Assert.Equal(TimeSpan.FromMilliseconds(250), config.Reconnect.InitialDelay);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
