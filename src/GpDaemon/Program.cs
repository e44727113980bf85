using GpDaemon;
using GpDaemon.Config;
using GpDaemon.Interop;
using GpDaemon.Lifecycle;

DaemonCommandLine commandLine;
try
{
    commandLine = DaemonCommandLine.Parse(args);
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"gpdaemon: {ex.Message}");
    Console.Error.WriteLine("Try 'gpdaemon --help'.");
    return DaemonExitCode.Usage;
}
if (commandLine.Help)
{
    Console.WriteLine(DaemonCommandLine.Usage);
    return DaemonExitCode.Ok;
}
if (commandLine.Version)
{
    Console.WriteLine($"gpdaemon {GpDaemon.Connection.VpnController.DaemonVersion}");
    return DaemonExitCode.Ok;
}

DaemonPaths paths = DaemonPaths.Resolve(commandLine.Config, commandLine.RuntimeDirectory, commandLine.StateDirectory, commandLine.Socket, commandLine.Instance);
DaemonConfig config;
IReadOnlyList<string> configWarnings;
try
{
    config = ConfigReader.Load(paths.ConfigFile, out configWarnings);
}
catch (ConfigException ex)
{
    Console.Error.WriteLine($"gpdaemon: configuration error: {ex.Message}");
    return DaemonExitCode.ConfigError;
}

// Secrets live in this process's memory: no core dumps, no ptrace by other users.
Libc.prctl(Libc.PR_SET_DUMPABLE, 0, 0, 0, 0);

InstanceLock instanceLock;
try
{
    Directory.CreateDirectory(paths.RuntimeDirectory);
    switch (InstanceLock.TryAcquire(paths.PidFile))
    {
        case InstanceLockResult.Held held:
            string who = held.OwnerPid is int pid ? $"pid {pid}" : "pid unknown";
            Console.Error.WriteLine($"gpdaemon: already running ({who}, lock {paths.PidFile}).");
            Console.Error.WriteLine("Use 'gpctl status' to talk to it, or stop it first ('systemctl stop gpdaemon').");
            return DaemonExitCode.AlreadyRunning;
        case InstanceLockResult.Acquired acquired:
            instanceLock = acquired.Lock;
            break;
        default:
            throw new InvalidOperationException();
    }
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"gpdaemon: {ex.Message}");
    return DaemonExitCode.Failure;
}

using (instanceLock)
{
    return await DaemonHost.RunAsync(paths, config, configWarnings, instanceLock);
}
