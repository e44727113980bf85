namespace GpDaemon;

/// <summary>gpdaemon's few options. Parsed by hand: the daemon has no subcommands and must start fast.</summary>
internal sealed record DaemonCommandLine(string? Config, string? RuntimeDirectory, string? StateDirectory, string? Socket, bool Help, bool Version)
{
    /// <summary>--instance NAME: gpdaemon@NAME.service, with its own config, directories, tunnel and interface.</summary>
    public string? Instance { get; init; }

    public const string Usage = """
        Usage: gpdaemon [options]

        The gpdaemon service: owns the one GlobalProtect VPN tunnel and answers gpctl on a Unix socket.
        Normally started by systemd (systemctl start gpdaemon); runs in the foreground when started by hand.

        Options:
          --instance NAME      run as instance NAME (gpdaemon@NAME.service): /etc/gpdaemon/NAME.toml,
                               /run/gpdaemon/NAME, /var/lib/gpdaemon/NAME and interface gp-NAME by default
          --config PATH        configuration file (default: /etc/gpdaemon/gpdaemon.toml)
          --runtime-dir DIR    lock, socket and tunnel files (default: $RUNTIME_DIRECTORY or /run/gpdaemon)
          --state-dir DIR      saved sessions (default: $STATE_DIRECTORY or /var/lib/gpdaemon)
          --socket PATH        control socket (default: <runtime dir>/gpdaemon.sock)
          --version            print the version and exit
          -h, --help           print this help and exit

        Exit codes: 0 stopped cleanly, 1 failure, 2 usage error, 3 another gpdaemon is running, 78 configuration error.
        """;

    public static DaemonCommandLine Parse(IReadOnlyList<string> args)
    {
        string? config = null, runtime = null, state = null, socket = null, instance = null;
        bool help = false, version = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inlineValue = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value"));
            switch (arg)
            {
                case "--config": config = Value(); break;
                case "--runtime-dir": runtime = Value(); break;
                case "--state-dir": state = Value(); break;
                case "--socket": socket = Value(); break;
                case "--instance":
                    instance = Value();
                    if (GpControl.InstanceName.Validate(instance) is { } invalid)
                    {
                        throw new UsageException($"--instance: {invalid}");
                    }
                    break;
                case "-h" or "--help" when inlineValue is null: help = true; break;
                case "--version" when inlineValue is null: version = true; break;
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }
        return new DaemonCommandLine(config, runtime, state, socket, help, version) { Instance = instance };
    }
}
